// Package publish is the WRITE stage and the one door to the output folder:
// every file bantin writes or removes there goes through it.
//
// Begin takes the destination's lock (an flock on .<name>.lock beside it,
// released by the kernel however the process ends; a second build stops at
// once naming the first), removes the staging folders of killed builds,
// reads the record of the last build (.bantin, JSON, versioned, every path
// validated) and walks the destination without following symbolic links.
//
// The new output is put together in a staging folder beside the
// destination: changed files are written there, files it keeps and files
// bantin did not publish (.git/, CNAME) are hard-linked in. Commit swaps
// the two folders with one renameat2(RENAME_EXCHANGE) and removes the old
// tree, so a reader of the destination sees the old site or the new one,
// never a mix, and a build killed at any instant leaves one of them plus a
// staging folder the next build removes. The record and the state file are
// written inside the staged tree, so they always describe the tree they are
// in. Where the exchange is not available (not Linux, or a file system
// without it), the destination is moved aside and the staging folder
// renamed in: there is no destination for an instant, and a build killed
// then leaves the old output aside, which the next build puts back. A
// destination that is a mount point cannot be renamed at all: it is staged
// inside and its top-level entries exchanged one by one, with an
// incomplete record first, so a build killed part-way leaves sections old
// and new until the next build, which then rewrites every page and still
// knows which files are bantin's (commitMount).
//
// Safety: publish refuses a destination that is the source folder or holds
// it, that holds content/ or site.yaml, or that is a non-empty folder it did
// not create (it marks its own with the record). Files the record does not
// list are never removed, so a missing or damaged record costs stale pages,
// never someone's files; nothing is written through a symbolic link in the
// destination. Folders are 0755 and files 0644 whatever the umask.
package publish
