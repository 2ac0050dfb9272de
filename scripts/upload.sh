#!/usr/bin/env bash
# Upload a built bantin site to a web server over SSH with rsync.
#
# Usage:
#   scripts/upload.sh OUTPUT_DIR USER@HOST:PATH [SSH_OPTION ...]
#
#   OUTPUT_DIR      the folder `bantin build -d` wrote (it holds bantin's record, .bantin)
#   USER@HOST:PATH  where the site lives on the server (the web server's document root
#                   for the site, e.g. deploy@web.example.gov.vn:/var/www/dangbokhoi);
#                   the folder is created if only its last part is missing
#   SSH_OPTION ...  passed to ssh as they are, e.g. -p 2222 -i ~/.ssh/deploy_key
#                   -o UserKnownHostsFile=~/.ssh/known_hosts_deploy
#                   (BatchMode=yes is always added: the script never asks for a password)
#
# Environment:
#   UPLOAD_DRY_RUN=1  show what would be sent and deleted, change nothing on the server
#
# Needs bash, ssh, rsync (3.1 or later) here and rsync on the server, and Go here
# (scripts/recorddiff, run with `go run` from this repository).
#
# What it does, in this order, so that a reader of the site never gets a page that
# points at a file not yet on the server, and nothing bantin did not publish is ever
# deleted:
#   1. reads the server's copy of bantin's record (PATH/.bantin, left there by the
#      last upload) and compares it with OUTPUT_DIR/.bantin (scripts/recorddiff);
#   2. uploads a record of both (old and new files), so that an upload that stops
#      half-way still leaves a record of everything bantin may have put there;
#   3. sends everything but the HTML pages (styles, scripts, photos, feeds, the search
#      index), then the HTML pages. rsync compares checksums, not times, so a page
#      that did not change is never sent again, even from a fresh CI checkout, and
#      keeps its date on the server (browsers' cached copies stay valid);
#   4. deletes on the server only the files the old record lists and the new one does
#      not (pages and photos removed from the site), then the folders they leave empty.
#      There is no `rsync --delete`: files someone else put on the server (a
#      verification file, another application's folder) are never touched;
#   5. uploads the new record.
# Everything rsync sends or deletes is printed, one line per file (rsync
# --itemize-changes: "<f" a file sent, "cd" a folder made, "*deleting" a file deleted).
set -euo pipefail

if [ $# -lt 2 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
fi
out=${1%/}
remote=${2%/}
shift 2

if [ ! -f "$out/.bantin" ]; then
  echo "upload.sh: $out/.bantin is missing: $out is not a folder bantin built" >&2
  exit 1
fi
case "$remote" in
  *:*) ;;
  *) echo "upload.sh: the remote must be USER@HOST:PATH, not $remote" >&2; exit 2 ;;
esac
host=${remote%%:*}
rpath=${remote#*:}
rpath=${rpath#\~/} # the remote commands below start in the user's home folder

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ssh with the given options, as one command for rsync -e.
{
  echo '#!/usr/bin/env bash'
  printf 'exec ssh -o BatchMode=yes'
  for o in "$@"; do printf ' %q' "$o"; done
  echo ' "$@"'
} >"$tmp/ssh"
chmod +x "$tmp/ssh"

dry=()
if [ "${UPLOAD_DRY_RUN:-}" = 1 ]; then
  dry=(--dry-run)
fi
rs=(rsync -e "$tmp/ssh" --recursive --links --perms --chmod=D755,F644)
# --checksum: compare contents, never times (no --times: an unchanged file keeps its
# date on the server, a fresh checkout's new dates are not a change).
sync=("${rs[@]}" --checksum --itemize-changes "${dry[@]}" --exclude=/.bantin --exclude=/.bantin-state)

# 1. The server's record (missing on the first upload).
echo "upload.sh: reading the record on $remote" >&2
"${rs[@]}" --ignore-missing-args "$remote/.bantin" "$tmp/old"
old=""
if [ -f "$tmp/old" ]; then old="$tmp/old"; fi
(cd "$root" && go run ./scripts/recorddiff "$old" "$out/.bantin" "$tmp/delete" "$tmp/dirs" "$tmp/union")

# put_record FILE: the server's record becomes FILE.
put_record() {
  if [ ${#dry[@]} -eq 0 ]; then
    mkdir -p "$tmp/rec"
    cp "$1" "$tmp/rec/.bantin"
    "${rs[@]}" "$tmp/rec/" "$remote/"
  fi
}

# 2. A record of the old and the new files first.
put_record "$tmp/union"

# 3. Everything but HTML, then HTML.
echo "upload.sh: sending files other than HTML" >&2
"${sync[@]}" --exclude='*.html' "$out/" "$remote/"
echo "upload.sh: sending HTML pages" >&2
"${sync[@]}" --include='*/' --include='*.html' --exclude='*' "$out/" "$remote/"

# 4. Files bantin published before and no longer does.
if [ -s "$tmp/delete" ]; then
  echo "upload.sh: deleting $(tr -cd '\0' <"$tmp/delete" | wc -c) file(s) bantin no longer publishes" >&2
  # rsync deletes a listed file missing from the source when its folder is there:
  # the source is a tree of the folders of those files, empty.
  while IFS= read -r -d '' f; do
    mkdir -p "$tmp/gone/$(dirname -- "$f")"
  done <"$tmp/delete"
  "${rs[@]}" --itemize-changes "${dry[@]}" --from0 --files-from="$tmp/delete" --no-implied-dirs \
    --delete-missing-args "$tmp/gone/" "$remote/"
  if [ -s "$tmp/dirs" ] && [ ${#dry[@]} -eq 0 ]; then
    # rmdir never removes a folder that still holds something; its complaints about
    # such folders are not errors.
    "$tmp/ssh" "$host" "cd $(printf %q "${rpath:-.}") && xargs -0 rmdir -- 2>/dev/null; exit 0" <"$tmp/dirs"
  fi
fi

# 5. The new record.
put_record "$out/.bantin"
echo "upload.sh: done" >&2
