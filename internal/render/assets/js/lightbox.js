/* bantin lightbox. Thumbnails are links to the full images (ul[data-lightbox] a.photo-link);
   this turns them into a modal viewer: the image with srcset/sizes (data-lb-set,
   data-lb-w/-h), its caption (data-lb-caption), "Ảnh 3/12", buttons Đóng/Trước/Sau,
   keys ← → Esc, swipe. Focus returns to the thumbnail on close. No script: plain links. */
(function () {
  if (window.bantinLightbox) return;
  window.bantinLightbox = 1;
  var d = document, root = d.documentElement, dlg, stage, img, cap, count, prev, next,
      items = [], cur = 0, opener, x0 = null, y0 = 0;

  function el(tag, cls, text) {
    var e = d.createElement(tag);
    e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function button(cls, label, text, fn) {
    var b = el('button', cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    b.addEventListener('click', fn);
    return b;
  }
  function build() {
    dlg = el('dialog', 'lb');
    dlg.setAttribute('role', 'dialog');
    dlg.setAttribute('aria-modal', 'true');
    dlg.setAttribute('aria-label', 'Xem ảnh');
    var bar = el('div', 'lb-bar');
    count = el('p', 'lb-count');
    count.setAttribute('aria-live', 'polite');
    bar.append(count, button('lb-close', '', 'Đóng', hide));
    stage = el('div', 'lb-stage');
    img = el('img', 'lb-img');
    img.addEventListener('load', function () { img.classList.remove('lb-wait'); });
    stage.append(img);
    cap = el('p', 'lb-cap');
    cap.id = 'lb-cap';
    dlg.setAttribute('aria-describedby', cap.id);
    prev = button('lb-prev', 'Ảnh trước', '‹ Trước', function () { go(-1); });
    next = button('lb-next', 'Ảnh sau', 'Sau ›', function () { go(1); });
    var nav = el('div', 'lb-nav');
    nav.append(prev, next);
    dlg.append(bar, stage, cap, nav);
    dlg.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowLeft') go(-1);
      else if (e.key === 'ArrowRight') go(1);
      else if (e.key === 'Escape') hide();
      else return;
      e.preventDefault();
    });
    dlg.addEventListener('close', cleanup);
    // Swipe: a horizontal stroke of at least 50px on the photo (pinch zoom stays the browser's).
    stage.addEventListener('pointerdown', function (e) { x0 = e.clientX; y0 = e.clientY; });
    stage.addEventListener('pointerup', function (e) {
      if (x0 === null) return;
      var dx = e.clientX - x0, dy = e.clientY - y0;
      x0 = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) go(dx < 0 ? 1 : -1);
    });
    stage.addEventListener('pointercancel', function () { x0 = null; });
    d.body.append(dlg);
  }
  function show(i) {
    cur = (i + items.length) % items.length;
    var a = items[cur], s = a.dataset, t = a.querySelector('img'), r = stage.getBoundingClientRect();
    // The photo is shown as large as fits: tell srcset how wide that is.
    var w = s.lbW && s.lbH ? Math.min(r.width, r.height * s.lbW / s.lbH) : r.width;
    img.classList.add('lb-wait');
    img.removeAttribute('srcset');
    img.sizes = Math.ceil(w || innerWidth) + 'px';
    if (s.lbSet) img.srcset = s.lbSet;
    img.src = a.href;
    img.alt = t ? t.alt : '';
    cap.textContent = s.lbCaption || '';
    cap.hidden = !s.lbCaption;
    count.textContent = 'Ảnh ' + (cur + 1) + '/' + items.length;
  }
  function go(step) {
    if (items.length > 1) show(cur + step);
  }
  function open(list, a) {
    if (!dlg) build();
    items = list;
    opener = a;
    prev.hidden = next.hidden = list.length < 2;
    // Lock the page behind: no scrolling, and no jump where the scrollbar was.
    root.style.paddingRight = innerWidth - root.clientWidth + 'px';
    root.classList.add('lb-open');
    if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
    show(list.indexOf(a));
    dlg.querySelector('.lb-close').focus();
  }
  function hide() {
    if (dlg.close) dlg.close(); else dlg.removeAttribute('open');
    cleanup();
  }
  function cleanup() {
    if (!root.classList.contains('lb-open')) return;
    root.classList.remove('lb-open');
    root.style.paddingRight = '';
    img.removeAttribute('src');
    img.removeAttribute('srcset');
    if (opener) opener.focus();
    opener = null;
  }
  d.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('[data-lightbox] a.photo-link');
    if (!a || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    open([].slice.call(a.closest('[data-lightbox]').querySelectorAll('a.photo-link')), a);
  });
})();
