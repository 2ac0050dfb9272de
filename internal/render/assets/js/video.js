/* bantin video facade. A YouTube player is a link (a[data-youtube]) until the reader
   clicks it: only then does the page load youtube-nocookie.com. Without this script
   the link opens the same player. */
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[data-youtube]');
  if (!a || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  var f = document.createElement('iframe');
  f.src = 'https://www.youtube-nocookie.com/embed/' + encodeURIComponent(a.dataset.youtube) + '?autoplay=1';
  f.title = a.dataset.title || 'Video';
  f.allow = 'autoplay; encrypted-media; picture-in-picture';
  f.allowFullscreen = true;
  f.referrerPolicy = 'strict-origin-when-cross-origin';
  f.className = 'video-frame';
  a.replaceWith(f);
  f.focus();
});
