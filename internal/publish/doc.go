// Package publish is the WRITE stage and the one door to the output folder.
//
// A build writes into a fresh staging folder beside the destination; only
// when everything succeeded does Commit swap it in, so an error leaves the
// previous output untouched and readers never see a half-written site.
// Files are minified on the way (HTML, CSS, JS, SVG, XML, JSON).
//
// Safety: publish refuses a destination that is the source folder or holds
// it, that holds content/ or site.yaml, or that is a non-empty folder it did
// not create (it marks its own with a .bantin file). It never removes
// anything but its own staging folder and its own previous output.
package publish
