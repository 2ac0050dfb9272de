// Package images turns the photos editors put in a site into the files it publishes: each
// original, upright and stripped of metadata, and smaller variants for srcset. Bytes in, bytes
// out: it never reads the site and never writes the output, only its own cache. It is a leaf (the
// standard library, golang.org/x/image and golang.org/x/sync) with no package-level state.
//
// # What it takes
//
// [New] takes the site's image settings ([Options]: widths, JPEG quality, keep_metadata) and the
// build's limits (pixel limit, cache folder). [Processor.Process] takes one image's bytes and a name
// for messages; [Processor.ProcessAll] takes a batch of [Job]s that load their own bytes.
//
// # What it returns
//
// A [Result]: the upright size of the original, the published original and one [Variant] per
// configured width strictly below the original's width, ascending. Widths are never upscaled;
// heights keep the aspect ratio (rounded, at least 1). A variant is JPEG at Options.Quality, or
// PNG when the source has any transparent pixel (a PNG or WebP with alpha, a GIF with a
// transparent colour); a greyscale source gives greyscale JPEGs. A source's ICC colour profile is
// carried into every output whose colour space it fits (RGB or grey; never a CMYK profile).
//
// The original keeps its format (Original.Ext is ".jpg", ".png", ".gif" or ".webp", told from the
// bytes: a PNG named .jpg is processed as the PNG it is, and the caller learns its real type):
//
//   - JPEG: APPn segments except JFIF APP0 (thumbnail removed), ICC APP2 and Adobe APP14 are
//     dropped, so are COM segments and everything after EOI (phones append Multi-Picture, depth
//     and motion-photo data there, with their own EXIF), all without re-encoding. A JPEG whose EXIF
//     orientation is not 1 is instead decoded, turned upright and re-encoded at quality 95 (or
//     Options.Quality if higher): once EXIF is gone browsers could not turn it, and a kept EXIF
//     block would be the one place GPS data can hide.
//   - PNG: only critical chunks and those that change how pixels look or move (tRNS, gAMA, cHRM,
//     sRGB, iCCP, cICP, sBIT, bKGD, pHYs, APNG's acTL/fcTL/fdAT …) are kept, losslessly: tEXt,
//     zTXt, iTXt, eXIf, tIME and private chunks go.
//   - GIF: comment, unknown and application extensions (XMP) are dropped; graphic control,
//     looping and ICC ones stay, so an animated GIF stays animated. Variants show its first frame.
//   - WebP: only image, alpha, ICC and animation chunks are kept (EXIF, XMP and unknown ones go)
//     and the VP8X flags are fixed. Animated WebP is refused ([ErrUnsupported]):
//     golang.org/x/image/webp cannot decode it.
//
// The package names no files. The suggested layout: the original at the source's own path (links
// written by editors keep working; browsers sniff image bytes, so a PNG named .jpg still shows),
// variants beside it as <stem>-<Width>w<Ext> (anh-1.jpg → anh-1-640w.jpg), the srcset entries.
//
// With Options.KeepMetadata the original is published byte for byte (browsers apply its EXIF
// orientation). Variants never carry metadata besides the ICC profile.
//
// Only JPEG orientation is applied (EXIF IFD0 tag 0x0112, read by a small parser of our own,
// either byte order). Variants are scaled in the stored orientation and then turned, which touches
// far fewer pixels than turning the source first.
//
// # Scaling
//
// golang.org/x/image/draw's Catmull-Rom kernel, largest width first. A variant is scaled from the
// smallest variant already made that is at least twice as wide (from the source otherwise):
// 640 from 1280 and 320 from 640 cost a few percent of scaling 12 megapixels again, with no visible
// difference (tested). Decoded pixels other than RGBA, NRGBA and grey (a JPEG's YCbCr, paletted,
// CMYK, 16-bit) are converted to RGBA once before scaling, because the kernel would otherwise
// convert them at each of its ~12 taps per pixel (1.5× slower for a JPEG). Output is
// deterministic: the same bytes and settings give the same bytes.
//
// # Bad input
//
// Errors name the image and wrap [ErrUnsupported] (not JPEG, PNG, GIF or WebP), [ErrCorrupt]
// (unparseable, truncated) or [ErrTooLarge] (over Options.MaxPixels, 50 megapixels by default, read
// from the header before any pixel is decoded). No input makes it panic (fuzzed); a panic inside a
// third-party decoder is reported as ErrCorrupt.
//
// # Cache
//
// With Options.CacheDir (the site's resources/, safe to delete and to keep between CI runs), each
// result is one file CacheDir/images/<k[:2]>/<k>, where k is the hex SHA-256 of a version number,
// the operation, the widths, the quality, keep_metadata and the SHA-256 of the source. A hit reads
// that file and decodes no pixels: a rebuild with unchanged photos decodes none ([Stats.Decoded]).
// Entries are written to a temporary file and renamed into place, carry a CRC-32C and are rebuilt
// when corrupt. Nothing is written outside CacheDir. Stale entries are not removed.
//
// # Concurrency and memory
//
// A [Processor] is safe for concurrent use, and identical sources processed at the same time are
// processed once. ProcessAll runs GOMAXPROCS jobs at a time; the limit is what bounds memory.
// A job on a 12-megapixel JPEG holds its source (a few MB), the decoded pixels (18 MB as YCbCr,
// then 48 MB as RGBA), the scaler's scratch buffer (32 bytes × source height × variant width:
// 123 MB for 4000×3000 to 1280) and, for a sideways photo, the upright copy (48 MB): about
// 250 MB at its peak.
package images
