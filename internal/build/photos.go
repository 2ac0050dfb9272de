package build

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"bantin/internal/config"
	"bantin/internal/diag"
	"bantin/internal/images"
	"bantin/internal/markdown"
	"bantin/internal/render"
	"bantin/internal/site"
	"bantin/internal/source"
)

// ResourcesDir is the cache of processed images (safe to delete; keep it
// between CI runs).
const ResourcesDir = "resources"

// isImage reports whether a file is a photo that bantin processes.
func isImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return true
	}
	return false
}

// photo is one source image and what the build published of it.
type photo struct {
	file string // from the site root: static/a.jpg, content/tin-tuc/x/anh.jpg
	out  string // output path of the original: a.jpg, tin-tuc/x/anh.jpg
	size int64
	mod  time.Time
	img  render.Image
	key  string   // the processed result in the image cache
	outs []string // output paths of the original and the variants
	err  error
}

// variantPath is where a variant of the image at out is published: anh.jpg → anh-320w.jpg.
func variantPath(out string, w int, ext string) string {
	base := strings.TrimSuffix(out, path.Ext(out))
	return base + "-" + strconv.Itoa(w) + "w" + ext
}

// imageSources lists every image the site publishes: static/ files and
// bundle resources, with their output paths.
func imageSources(static []string, model *site.Site) []*photo {
	var out []*photo
	for _, p := range static {
		if isImage(p) {
			out = append(out, &photo{file: StaticDir + "/" + p, out: p})
		}
	}
	for _, o := range model.Outputs {
		if !o.IsPage() || !o.Article.Page.Bundle {
			continue
		}
		a := o.Article
		for _, r := range a.Page.Resources {
			if isImage(r) {
				out = append(out, &photo{file: source.ContentDir + "/" + path.Join(a.Page.Dir, r), out: strings.TrimPrefix(a.URL, "/") + r})
			}
		}
	}
	return out
}

// newProcessor makes the image processor for a site; cacheDir "" disables
// the disk cache, readOnly uses it without writing.
func newProcessor(cfg *config.Config, cacheDir string, readOnly bool) *images.Processor {
	return images.New(images.Options{Widths: cfg.Images.Widths, Quality: cfg.Images.Quality,
		KeepMetadata: cfg.Images.KeepMetadata, CacheDir: cacheDir, ReadOnly: readOnly})
}

// processImages processes every image (reusing the previous build's result
// for files whose size and time did not change) and records what each one
// publishes. Problems name the article that shows a bad photo.
func (ss *Session) processImages(fsys fs.FS, cfg *config.Config, static []string, model *site.Site) diag.List {
	// The processor holds the image settings: a site.yaml edit in serve
	// (widths, quality, metadata) needs a new one.
	if base := ss.photoBase(); ss.proc != nil && ss.procBase != base {
		ss.proc = nil
	}
	if ss.proc == nil {
		ss.procBase = ss.photoBase()
		cache := ""
		if ss.opts.Source != "" {
			// The cache is read and written by path: never through a link out.
			if err := source.CheckTree(fsys, ResourcesDir); err != nil {
				return diag.List{{Path: ResourcesDir, Msg: "image cache: " + err.Error()}}
			}
			cache = filepath.Join(ss.opts.Source, ResourcesDir)
		}
		// check validates photos: one already in the cache was valid when
		// it was processed (the cache is keyed by its bytes); others are
		// decoded, and nothing is written.
		ss.proc = newProcessor(cfg, cache, ss.check)
	}
	list := imageSources(static, model)
	// What the last Prepare published of each photo holds only under the
	// same program, site.yaml (widths, quality) and baseURL.
	prev := ss.photos
	if base := ss.photoBase(); ss.photosBase != base {
		prev, ss.photosBase = nil, base
	}
	if prev == nil {
		prev = ss.prevPhotos()
	}
	next := make(map[string]*photo, len(list))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var todo, done int
	progress := func() {
		if ss.opts.Progress == nil {
			return
		}
		mu.Lock()
		done++
		ss.opts.Progress(done, todo)
		mu.Unlock()
	}
	for _, ph := range list {
		next[ph.file] = ph
		info, err := fs.Stat(fsys, ph.file)
		if err != nil {
			ph.err = err
			continue
		}
		ph.size, ph.mod = info.Size(), info.ModTime()
		if old := prev[ph.file]; old != nil && old.out == ph.out && old.size == ph.size && old.mod.Equal(ph.mod) && old.err == nil {
			ph.img, ph.outs, ph.key = old.img, old.outs, old.key
			continue
		}
		todo++
		g.Go(func() error {
			defer progress()
			if err := ss.opts.context().Err(); err != nil {
				ph.err = err
				return nil
			}
			data, err := fs.ReadFile(fsys, ph.file)
			if err == nil {
				// Only the sizes for now: WriteImages reads the bytes.
				var res *images.Result
				res, err = ss.proc.Peek(ph.file, data)
				if err == nil {
					ph.img, ph.outs = ss.published(cfg, ph.out, res)
					ph.key = res.Key
				}
			}
			ph.err = err
			return nil
		})
	}
	_ = g.Wait()
	if todo > 0 || len(ss.photos) != len(next) {
		ss.imagesChanged = true
	}
	ss.photos = next

	var problems diag.List
	shown := map[string]bool{}
	for _, a := range append(append(append([]*site.Article{}, model.Articles...), model.Videos...), model.Standalone...) {
		for _, p := range a.Photos {
			if ph := next[p.File]; ph != nil && ph.err != nil {
				problems.Errorf(a.Page.File, p.Line, "image %q: %s", p.Src, imageErr(ph.err))
				shown[p.File] = true
			}
		}
	}
	for _, ph := range list {
		if ph.err != nil && !shown[ph.file] {
			problems.Errorf(ph.file, 0, "%s", imageErr(ph.err))
		}
	}
	return problems
}

func imageErr(err error) string {
	switch {
	case errors.Is(err, images.ErrTooLarge):
		return "the photo is too large (" + err.Error() + "); resize it below 50 megapixels before publishing"
	case errors.Is(err, images.ErrCorrupt), errors.Is(err, images.ErrUnsupported):
		return err.Error() + "; save it again as JPEG or PNG"
	}
	return err.Error()
}

// published is what a processed image becomes: the original at out and a
// variant per width beside it.
func (ss *Session) published(cfg *config.Config, out string, res *images.Result) (render.Image, []string) {
	img := render.Image{URL: cfg.RelURL("/" + out), Width: res.Width, Height: res.Height}
	outs := []string{out}
	var srcset []string
	img.Thumb = img.URL
	for i, v := range res.Variants {
		p := variantPath(out, v.Width, v.Ext)
		outs = append(outs, p)
		u := cfg.RelURL("/" + p)
		if i == 0 {
			img.Thumb = u
		}
		srcset = append(srcset, u+" "+strconv.Itoa(v.Width)+"w")
	}
	srcset = append(srcset, img.URL+" "+strconv.Itoa(res.Width)+"w")
	img.Srcset = strings.Join(srcset, ", ")
	return img, outs
}

// photo gives layouts a photo's published image.
func (s *Site) photo(p *site.Photo) (render.Image, error) {
	if ph := s.session.photos[p.File]; ph != nil && ph.err == nil {
		return ph.img, nil
	}
	return render.Image{}, fmt.Errorf("%s: photo %s was not processed", p.Article.Page.File, p.File)
}

// bodyImage gives a Markdown image of article a its published form.
func (ss *Session) bodyImage(a *site.Article) markdown.ImageFunc {
	return func(dest string) (markdown.ImageAttrs, bool) {
		if strings.Contains(dest, "://") || strings.HasPrefix(dest, "//") {
			return markdown.ImageAttrs{}, false
		}
		var file string
		if strings.HasPrefix(dest, "/") {
			file = StaticDir + path.Clean(dest)
		} else {
			file = source.ContentDir + "/" + path.Join(a.Page.Dir, dest)
		}
		ph := ss.photos[file]
		if ph == nil || ph.err != nil {
			return markdown.ImageAttrs{}, false
		}
		return markdown.ImageAttrs{Src: ph.img.URL, Srcset: ph.img.Srcset, Width: ph.img.Width, Height: ph.img.Height}, true
	}
}

// WriteImages emits every processed image: the stripped original and its
// variants. With the disk cache warm, nothing is decoded again. keep, when
// given, publishes an output path without writing it (publish.Stage.Keep):
// it is asked for the files of photos the previous build into the same
// output published from the same result; those it keeps are not read.
func (s *Site) WriteImages(emit render.Emit, keep func(path string) bool) error {
	ss := s.session
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, ph := range ss.photos {
		if ph.err != nil {
			continue
		}
		g.Go(func() error {
			if err := ss.opts.context().Err(); err != nil {
				return err
			}
			kept := map[string]bool{}
			if keep != nil && s.keptPhoto(ph) {
				all := true
				for _, p := range ph.outs {
					kept[p] = keep(p)
					all = all && kept[p]
				}
				if all {
					return nil
				}
			}
			res, ok := ss.proc.Cached(ph.key)
			if !ok {
				// Not in the cache (none, or damaged since): from the source.
				data, err := fs.ReadFile(s.FS, ph.file)
				if err != nil {
					return err
				}
				if res, err = ss.proc.Process(ph.file, data); err != nil {
					return err
				}
			}
			files := []render.File{{Path: ph.out, Body: res.Original.Data, Minified: true}}
			for _, v := range res.Variants {
				files = append(files, render.File{Path: variantPath(ph.out, v.Width, v.Ext), Body: v.Data, Minified: true})
			}
			for _, f := range files {
				if kept[f.Path] {
					continue
				}
				if err := emit(f); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// ImagesChanged reports whether the last Prepare processed or dropped any image.
func (s *Site) ImagesChanged() bool { return s.session.imagesChanged }

// ImageStats are the image processor's counters (decoded, cache hits).
func (s *Site) ImageStats() images.Stats { return s.session.proc.Stats() }
