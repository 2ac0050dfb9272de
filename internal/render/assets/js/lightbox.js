/* bantin lightbox: album thumbnails ([data-lightbox] a.photo-link, plain links to the
   images) open in a modal dialog; data-lb-set/-w/-h/-caption give srcset, size, caption.
   Keys ← → Esc, swipe; focus returns to the thumbnail on close. */
(function () {
  if (window.bantinLightbox) return;
  window.bantinLightbox = 1;
  var d = document, root = d.documentElement, dlg, stage, img, cap, count, prev, next,
    items = [], cur, opener, x0 = null, y0;
  function el(tag, cls, text) {
    var e = d.createElement(tag);
    e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function button(cls, text, label, fn) {
    var b = el('button', cls, text);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.onclick = fn;
    return b;
  }
  function build() {
    dlg = el('dialog', 'lb');
    for (var [k, v] of [['role', 'dialog'], ['aria-modal', 'true'], ['aria-label', 'Xem ảnh'], ['aria-describedby', 'lb-cap']]) dlg.setAttribute(k, v);
    var bar = el('div', 'lb-bar'), nav = el('div', 'lb-nav');
    count = el('p', 'lb-count');
    count.setAttribute('aria-live', 'polite');
    bar.append(count, button('lb-close', 'Đóng', 'Đóng', hide));
    stage = el('div', 'lb-stage');
    img = el('img', 'lb-img');
    img.onload = () => img.classList.remove('lb-wait');
    stage.append(img);
    cap = el('p', 'lb-cap');
    cap.id = 'lb-cap';
    prev = button('lb-prev', '‹ Trước', 'Ảnh trước', () => go(-1));
    next = button('lb-next', 'Sau ›', 'Ảnh sau', () => go(1));
    nav.append(prev, next);
    dlg.append(bar, stage, cap, nav);
    dlg.onkeydown = e => {
      var k = e.key;
      if (k === 'ArrowLeft' || k === 'ArrowRight') go(k === 'ArrowLeft' ? -1 : 1);
      else if (k === 'Escape') hide();
      else return;
      e.preventDefault();
    };
    dlg.onclose = cleanup;
    // Swipe: a mostly horizontal stroke of 50px or more.
    stage.onpointerdown = e => { x0 = e.clientX; y0 = e.clientY; };
    stage.onpointercancel = () => { x0 = null; };
    stage.onpointerup = e => {
      var dx = e.clientX - x0, dy = e.clientY - y0;
      if (x0 !== null && Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) go(dx < 0 ? 1 : -1);
      x0 = null;
    };
    d.body.append(dlg);
  }
  function show(i) {
    cur = (i + items.length) % items.length;
    var a = items[cur], s = a.dataset, t = a.querySelector('img'), r = stage.getBoundingClientRect(),
      w = s.lbW ? Math.min(r.width, r.height * s.lbW / s.lbH) : r.width; // as large as fits
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
  function go(step) { if (items.length > 1) show(cur + step); }
  function open(list, a) {
    if (!dlg) build();
    items = list;
    opener = a;
    prev.hidden = next.hidden = list.length < 2;
    // No scrolling behind, and no jump where the scrollbar was.
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
    if (!opener) return;
    root.classList.remove('lb-open');
    root.style.paddingRight = '';
    img.removeAttribute('srcset');
    img.removeAttribute('src');
    opener.focus();
    opener = null;
  }
  d.addEventListener('click', e => {
    var a = e.target.closest && e.target.closest('[data-lightbox] a.photo-link');
    if (!a || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    open([...a.closest('[data-lightbox]').querySelectorAll('a.photo-link')], a);
  });
})();
