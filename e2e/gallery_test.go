package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The album and video entries of the committee site these tests open
// (content/hoat-dong/hoi-thao-khoi-nam-2024/, content/video/).
const (
	albumPath  = "hinh-anh/hoi-thao-khoi-nam-2024/"
	albumCount = 6
	videoPath  = "video/phong-su-hoi-thao-khoi-nam-2024/"
	videoID    = "Xk3pQ7vRt2M"
)

// albumCaptions are the captions of the album's first three photos, as the front matter gives them.
var albumCaptions = []string{
	"Quang cảnh Lễ khai mạc Hội thao Khối năm 2024 tại Nhà thi đấu tỉnh",
	"Các đoàn vận động viên diễu hành qua lễ đài",
	"Thi đấu kéo co nam nữ phối hợp giữa Công đoàn Điện lực tỉnh và Công đoàn Ngân hàng",
}

// lightboxState is what a reader (and a screen reader) gets from the lightbox.
type lightboxState struct {
	Open     bool    `json:"open"`     // a visible dialog is in the page
	Modal    bool    `json:"modal"`    // role=dialog with aria-modal=true
	Name     string  `json:"name"`     // its aria-label
	Caption  string  `json:"caption"`  // visible caption text
	Count    string  `json:"count"`    // "Ảnh 2/6"
	Buttons  string  `json:"buttons"`  // visible button texts, joined by |
	Inside   bool    `json:"inside"`   // focus is inside the dialog
	Thumb    int     `json:"thumb"`    // index of the focused thumbnail, -1 if none
	Locked   bool    `json:"locked"`   // the page behind does not scroll
	Loaded   bool    `json:"loaded"`   // the big image has loaded
	Srcset   bool    `json:"srcset"`   // it has srcset and sizes
	Fits     bool    `json:"fits"`     // it lies inside the viewport
	ImgWidth float64 `json:"imgWidth"` // its rendered width
}

const readLightbox = `(() => {
  const visible = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const d = [...document.querySelectorAll('[role=dialog], dialog')].find(visible);
  const thumbs = [...document.querySelectorAll('.photo-grid a')];
  const st = {open: !!d, thumb: thumbs.indexOf(document.activeElement),
    locked: getComputedStyle(document.documentElement).overflow === 'hidden'};
  if (!d) return st;
  const img = d.querySelector('img'), cap = d.querySelector('.lb-cap'), r = img.getBoundingClientRect();
  return Object.assign(st, {
    modal: d.getAttribute('role') === 'dialog' && d.getAttribute('aria-modal') === 'true',
    name: d.getAttribute('aria-label') || '',
    caption: visible(cap) ? cap.innerText.trim() : '',
    count: d.querySelector('.lb-count').innerText.trim(),
    buttons: [...d.querySelectorAll('button')].filter(visible).map(b => b.innerText.trim()).join('|'),
    inside: d.contains(document.activeElement),
    loaded: img.complete && img.naturalWidth > 0,
    srcset: img.srcset !== '' && img.sizes !== '',
    fits: r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5,
    imgWidth: r.width,
  });
})()`

func readLB(t *testing.T, ctx context.Context) lightboxState {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[lightboxState](readLightbox))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// lightboxOpenLoaded is true once the dialog shows a loaded image.
const lightboxOpenLoaded = `(() => { const d = document.querySelector('dialog[open]'); const i = d && d.querySelector('img');
  return !!(i && i.complete && i.naturalWidth > 0 && !i.classList.contains('lb-wait')); })()`

// TestLightbox opens the album as a reader would: a click (desktop) or a tap
// (phone) on a thumbnail, the arrow keys or a swipe, then Esc or Đóng.
func TestLightbox(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/")
	url := s.URL + albumPath

	t.Run("desktop keyboard", func(t *testing.T) {
		load(t, ctx, desktop, url)
		// The script is small, and only on pages with a photo grid, deferred.
		js, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.scripts].map(s => s.src + (s.defer ? ' defer' : ''))`))
		if err != nil {
			t.Fatal(err)
		}
		if len(js) != 1 || !strings.Contains(js[0], "/js/lightbox.js") || !strings.HasSuffix(js[0], " defer") {
			t.Errorf("album scripts = %q, want lightbox.js, deferred", js)
		} else if res, err := http.Get(strings.TrimSuffix(js[0], " defer")); err != nil {
			t.Error(err)
		} else {
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if n >= 4096 {
				t.Errorf("lightbox.js is %d bytes, want under 4 KB", n)
			}
		}
		if st := readLB(t, ctx); st.Open {
			t.Fatalf("a dialog is open before any click: %+v", st)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".photo-grid a"))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, lightboxOpenLoaded, "the lightbox with the first photo")
		st := readLB(t, ctx)
		if !st.Modal || st.Name == "" {
			t.Errorf("lightbox is not a named modal dialog: modal=%v name=%q", st.Modal, st.Name)
		}
		if st.Caption != albumCaptions[0] {
			t.Errorf("caption = %q, want %q", st.Caption, albumCaptions[0])
		}
		if want := "Ảnh 1/6"; st.Count != want {
			t.Errorf("counter = %q, want %q", st.Count, want)
		}
		for _, b := range []string{"Đóng", "Trước", "Sau"} {
			if !strings.Contains(st.Buttons, b) {
				t.Errorf("buttons %q: no %q", st.Buttons, b)
			}
		}
		if !st.Inside {
			t.Error("focus did not move into the dialog")
		}
		if !st.Locked {
			t.Error("the page behind the dialog still scrolls")
		}
		if !st.Srcset || !st.Fits {
			t.Errorf("big image: srcset+sizes=%v, inside the viewport=%v (width %.0f)", st.Srcset, st.Fits, st.ImgWidth)
		}

		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `document.querySelector('dialog[open] .lb-count').innerText.trim() === 'Ảnh 2/6'`, "→ to show photo 2")
		poll(t, ctx, lightboxOpenLoaded, "photo 2 to load")
		if st := readLB(t, ctx); st.Caption != albumCaptions[1] {
			t.Errorf("after →: caption = %q, want %q", st.Caption, albumCaptions[1])
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowLeft)); err != nil {
			t.Fatal(err)
		}
		if st := readLB(t, ctx); st.Count != "Ảnh 6/6" {
			t.Errorf("← ← from photo 2: counter = %q, want it to wrap to %q", st.Count, "Ảnh 6/6")
		}

		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, `!document.querySelector('dialog[open]')`, "Esc to close the lightbox")
		st = readLB(t, ctx)
		if st.Open || st.Locked {
			t.Errorf("after Esc: dialog open=%v, page locked=%v", st.Open, st.Locked)
		}
		if st.Thumb != 0 {
			t.Errorf("after Esc: focus is on thumbnail %d, want it back on the first (0)", st.Thumb)
		}
	})

	t.Run("phone swipe", func(t *testing.T) {
		load(t, ctx, phone, url)
		if err := chromedp.Do(ctx, chromedp.Tap(chromedp.CSS(".photo-grid li:nth-child(2) a"))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, lightboxOpenLoaded, "the lightbox with photo 2")
		if st := readLB(t, ctx); st.Count != "Ảnh 2/6" || !st.Fits {
			t.Fatalf("tap on photo 2: counter %q, image inside the viewport %v", st.Count, st.Fits)
		}
		swipe(t, ctx, 320, 80) // right to left: the next photo
		poll(t, ctx, `document.querySelector('dialog[open] .lb-count').innerText.trim() === 'Ảnh 3/6'`, "a swipe left to show photo 3")
		if st := readLB(t, ctx); st.Caption != albumCaptions[2] {
			t.Errorf("after a swipe left: caption = %q, want %q", st.Caption, albumCaptions[2])
		}
		swipe(t, ctx, 80, 320) // left to right: back
		poll(t, ctx, `document.querySelector('dialog[open] .lb-count').innerText.trim() === 'Ảnh 2/6'`, "a swipe right to go back to photo 2")
		if err := chromedp.Do(ctx, chromedp.Tap(chromedp.CSS("dialog[open] .lb-close"))); err != nil {
			t.Fatal(err)
		}

		poll(t, ctx, `!document.querySelector('dialog[open]')`, "Đóng to close the lightbox")
		if st := readLB(t, ctx); st.Thumb != 1 || st.Locked {
			t.Errorf("after Đóng: focused thumbnail %d (want 1), page locked %v", st.Thumb, st.Locked)
		}
	})
}

// swipe drags one finger across the middle of the screen from x0 to x1.
func swipe(t *testing.T, ctx context.Context, x0, x1 float64) {
	t.Helper()
	y := float64(phone.height) / 2
	touch := func(typ input.DispatchTouchEventType, x float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			p := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
			if typ != input.DispatchTouchEventTypeTouchEnd {
				p.TouchPoints = []*input.TouchPoint{{X: x, Y: y}}
			}
			_, err := chromedp.Call(ctx, input.DispatchTouchEvent, p)
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, x0)}
	for i := 1; i <= 5; i++ {
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, x0+(x1-x0)*float64(i)/5))
	}
	// The finger rests before it lifts, so the swipe ends without a fling
	// (a tap during a fling only stops it, and the next tap would be lost).
	steps = append(steps, chromedp.Sleep(150*time.Millisecond), touch(input.DispatchTouchEventTypeTouchMove, x1),
		touch(input.DispatchTouchEventTypeTouchEnd, x1))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("swipe %.0f→%.0f: %v", x0, x1, err)
	}
}

// thumbLink is a thumbnail as the HTML gives it, before any script.
type thumbLink struct {
	Href    string  `json:"href"`
	Alt     string  `json:"alt"`
	Loading string  `json:"loading"`
	W       float64 `json:"w"` // the box the thumbnail takes before it loads
	H       float64 `json:"h"`
}

// TestAlbumWithoutJS checks the album for a reader without JavaScript: every
// thumbnail is a link to the full image, which the server has, and a click
// opens it. The thumbnails' boxes are sized before the images load.
func TestAlbumWithoutJS(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/")
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	load(t, ctx, phone, s.URL+albumPath)
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]thumbLink](`[...document.querySelectorAll('.photo-grid li')].map(li => {
	  const a = li.querySelector('a[href]'), img = a && a.querySelector('img'), r = img ? img.getBoundingClientRect() : {width: 0, height: 0};
	  return {href: a ? a.href : '', alt: img ? img.alt : '', loading: img ? img.loading : '', w: r.width, h: r.height};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != albumCount {
		t.Fatalf("album shows %d thumbnails, want %d", len(links), albumCount)
	}
	for i, l := range links {
		if l.Href == "" {
			t.Errorf("thumbnail %d is not inside a link", i+1)
			continue
		}
		if l.Alt == "" || l.Loading != "lazy" {
			t.Errorf("thumbnail %d: alt %q, loading %q; want a text and lazy", i+1, l.Alt, l.Loading)
		}
		if l.W < 100 || l.H < l.W/1.6 || l.H > l.W/1.4 {
			t.Errorf("thumbnail %d takes %.0f×%.0f px before it loads, want a 3:2 box", i+1, l.W, l.H)
		}
		res, err := http.Get(l.Href)
		if err != nil {
			t.Errorf("thumbnail %d → %s: %v", i+1, l.Href, err)
			continue
		}
		res.Body.Close()
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "image/") {
			t.Errorf("thumbnail %d → %s: %d %s, want 200 and an image", i+1, l.Href, res.StatusCode, ct)
		}
	}
	// With scripts off, a click follows the link to the image itself.
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".photo-grid a")))
	if err != nil {
		t.Fatalf("clicking the first thumbnail without JavaScript: %v", err)
	}
	if resp.Status != 200 || !strings.HasPrefix(resp.MimeType, "image/") || resp.URL != links[0].Href {
		t.Errorf("click without JavaScript opened %s (%d %s), want %s as an image", resp.URL, resp.Status, resp.MimeType, links[0].Href)
	}
	if f := s.failures(); len(f) > 0 {
		t.Errorf("failed requests: %v", f)
	}
}

// thirdParty reports whether a request goes to a video host.
func thirdParty(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	for _, d := range []string{"youtube.com", "youtube-nocookie.com", "ytimg.com", "googlevideo.com", "ggpht.com", "google.com", "gstatic.com"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

// TestVideoFacade checks that pages with videos ask YouTube for nothing (no
// thumbnail, no script, no preconnect) until the reader clicks, even when the
// pointer rests on the player, and that the click puts in the nocookie player.
func TestVideoFacade(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/")
	var mu sync.Mutex
	var requests []string
	settled := make(chan string, 16) // the settle requests, as the listener sees them
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, ev.Request.URL)
			mu.Unlock()
			if strings.Contains(ev.Request.URL, "bantin-settled=") {
				select {
				case settled <- ev.Request.URL:
				default:
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	offsite := func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, u := range requests {
			if thirdParty(u) {
				out = append(out, u)
			}
		}
		return out
	}
	// The machine may have no internet: the player's own request is blocked.
	if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{
			{URLPattern: "https://www.youtube-nocookie.com/*", Block: true},
		}})
		return err
	})); err != nil {
		t.Fatal(err)
	}

	for _, p := range []struct {
		path string
		v    viewport
	}{{"", desktop}, {"video/", phone}, {videoPath, desktop}} {
		load(t, ctx, p.v, s.URL+p.path)
		if p.path != "" {
			// The pointer on the player (hover) and the keyboard on it (focus) must not load anything either.
			if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("a.video-facade")), chromedp.Focus(chromedp.CSS("a.video-facade"))); err != nil {
				t.Fatal(err)
			}
			box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector('a.video-facade').getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2]; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, box[0], box[1])); err != nil {
				t.Fatal(err)
			}
		}
		// Once the page has loaded and laid itself out twice (lazy images
		// and observers have run), a request it makes then is seen after
		// any it made before: the listener has heard everything by then.
		marker := s.URL + "?bantin-settled=" + url.QueryEscape(p.path)
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`new Promise(done => {
			const go = () => requestAnimationFrame(() => requestAnimationFrame(() => fetch(`+"`"+marker+"`"+`).finally(done)));
			document.readyState === "complete" ? go() : addEventListener("load", go);
		})`, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
	wait:
		for {
			select {
			case u := <-settled:
				if u == marker {
					break wait
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("/%s: the settle request %s was not seen", p.path, marker)
			}
		}
		if got := offsite(); len(got) > 0 {
			t.Fatalf("/%s asked a video host for %q before any click", p.path, got)
		}
	}

	// On the video's own page: the facade's link is the no-JavaScript way to the player.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a.video-facade').href`))
	if err != nil {
		t.Fatal(err)
	}
	want := "https://www.youtube-nocookie.com/embed/" + videoID + "?autoplay=1"
	if href != want {
		t.Errorf("facade links to %q, want %q", href, want)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.video-facade")), chromedp.WaitReady(chromedp.CSS(".video-box iframe"))); err != nil {
		t.Fatalf("clicking the facade: %v", err)
	}
	frame, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.CSS(".video-box iframe")))
	if err != nil {
		t.Fatal(err)
	}
	if frame["src"] != want {
		t.Errorf("iframe src = %q, want %q", frame["src"], want)
	}
	if frame["title"] == "" || frame["allow"] != "autoplay; encrypted-media; picture-in-picture" {
		t.Errorf("iframe title %q, allow %q: want a title and allow=%q", frame["title"], frame["allow"], "autoplay; encrypted-media; picture-in-picture")
	}
	if _, ok := frame["allowfullscreen"]; !ok {
		t.Error("iframe has no allowfullscreen")
	}
	// The same listener sees the player's request once the reader asked for it:
	// so its silence before the click meant something.
	asked := false
	for deadline := time.Now().Add(3 * time.Second); !asked && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		asked = slices.Contains(offsite(), want)
	}
	if !asked {
		t.Errorf("after the click, no request for %s was seen; video-host requests: %q", want, offsite())
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a.video-facade').length`)); err != nil || n != 0 {
		t.Errorf("the facade is still in the page after the click (%d, %v)", n, err)
	}
}

// galleryPages are the photo, video and link pages every browser check covers.
var galleryPages = []struct{ name, path string }{
	{"gallery", "hinh-anh/"},
	{"album", albumPath},
	{"videos", "video/"},
	{"video", videoPath},
	{"links", "lien-ket/"},
}

// TestGalleryAxe runs axe-core on the photo, video and link pages, and on the
// album with the lightbox open, at phone and desktop width; at phone width it
// also checks the stand-alone links' tap size (see TestTapTargets).
func TestGalleryAxe(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/")
	for _, v := range []viewport{phone, desktop} {
		for _, p := range galleryPages {
			t.Run(p.name+"/"+v.name, func(t *testing.T) {
				load(t, ctx, v, s.URL+p.path)
				axeCheck(t, ctx)
				if v.mobile {
					small, err := chromedp.Run(ctx, chromedp.Evaluate[[]target](smallTargets))
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range small {
						t.Errorf("link %q is %.0f×%.0f px, want at least 44×44", r.Text, r.W, r.H)
					}
				}
			})
		}
		t.Run("lightbox/"+v.name, func(t *testing.T) {
			load(t, ctx, v, s.URL+albumPath)
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".photo-grid a"))); err != nil {
				t.Fatal(err)
			}
			poll(t, ctx, lightboxOpenLoaded, "the lightbox")
			axeCheck(t, ctx)
		})
	}
	if f := s.failures(); len(f) > 0 {
		t.Errorf("failed requests: %v", f)
	}
}

// TestGalleryScreenshots writes screenshots of the photo and video pages and
// the home page at phone and desktop width, and of the open lightbox, into
// $BANTIN_SHOTS/gallery for a person to look at. Without the variable it does nothing.
func TestGalleryScreenshots(t *testing.T) {
	if os.Getenv("BANTIN_SHOTS") == "" {
		t.Skip("set BANTIN_SHOTS=/tmp/bantin-shots to write screenshots")
	}
	dir := filepath.Join(shotsDir(t), "gallery")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := newTab(t)
	s := committeeSite(t, "/")
	write := func(name string, png []byte) {
		out := filepath.Join(dir, name+".png")
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", out, len(png))
	}
	// Lazy images below the fold would show as empty boxes in a full-page shot.
	const eager = `Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => {}); })).then(() => true)`
	for _, v := range []viewport{phone, desktop} {
		for _, p := range []struct{ name, path string }{{"home", ""}, {"gallery", "hinh-anh/"}, {"album", albumPath}, {"videos", "video/"}, {"video", videoPath}, {"links", "lien-ket/"}} {
			load(t, ctx, v, s.URL+p.path)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](eager, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("%s at %s: %v", p.name, v.name, err)
			}
			write(p.name+"-"+v.name, png)
		}
		load(t, ctx, v, s.URL+albumPath)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".photo-grid li:nth-child(5) a"))); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, lightboxOpenLoaded, "the lightbox")
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		write("lightbox-"+v.name, png)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
		poll(t, ctx, lightboxOpenLoaded, "the next photo")
		if png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
			t.Fatal(err)
		}
		write("lightbox-landscape-"+v.name, png)
	}
}
