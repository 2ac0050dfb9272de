#!/usr/bin/env bash
# bantin's search vs Pagefind on one built 10,000-article site: the measurements of docs/search.md.
#
#   bench/searchcmp/run.sh            RUNS=3 SITE=/tmp/cmp-site OUT=/tmp/searchcmp-out by default
#
# 1. builds bantin and, if SITE has no bantin build, the site from the cached corpus
#    (~/.cache/bantin-compare/n10000-bantin, made by ../shared/bench/gen_corpus.py --flavor bantin);
# 2. installs Pagefind (npm, pinned, into PF_NPM=/tmp/pf-npm) and writes two bundles into SITE:
#    pagefind/ (defaults: every page, whole <body>) and pagefind-main/ (--root-selector main, the
#    10,000 article pages only);
# 3. times, alternately and RUNS times each, bantin's whole build (fresh output folder) and the
#    two Pagefind runs (the binary npx runs, fresh --output-path), with GNU time; once, npx itself;
# 4. profiles RUNS bantin builds (BANTIN_CPUPROFILE) and takes writeSearch's share of the samples;
# 5. sizes (searchcmp sizes), the browser runs (searchcmp run) and the match lists (searchcmp explain).
# Old outputs are moved aside and deleted at the end, not between runs (see bench/compare.sh: ext4
# without a journal makes a build right after rm -rf of 30,000 files slower).
# Needs go, node/npm, /usr/bin/time, Chromium (BANTIN_CHROMIUM, default /usr/bin/chromium).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-3}
SITE=${SITE:-/tmp/cmp-site}
OUT=${OUT:-/tmp/searchcmp-out}
PF_NPM=${PF_NPM:-/tmp/pf-npm}
PF_VERSION=1.6.0
corpus=${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/bantin-compare/n10000-bantin}
[ -f "$corpus/MANIFEST.json" ] || { echo "no corpus at $corpus: python3 ../shared/bench/gen_corpus.py --n 10000 --out $corpus --flavor bantin" >&2; exit 1; }

mkdir -p "$OUT"
work=$(mktemp -d /tmp/searchcmp-work-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/trash"
aside() { [ ! -e "$1" ] || mv "$1" "$work/trash/$(date +%s%N)"; }

go build -C "$root" -o "$work/bantin" ./cmd/bantin
go build -C "$root" -o "$work/searchcmp" ./bench/searchcmp
if [ ! -x "$PF_NPM/node_modules/.bin/pagefind" ]; then
  mkdir -p "$PF_NPM"
  (cd "$PF_NPM" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund "pagefind@$PF_VERSION" >/dev/null)
fi
pf=$(find "$PF_NPM/node_modules/@pagefind" -type f -name pagefind_extended | head -n1)
echo "pagefind: $("$pf" --version) ($pf)"
main_glob='{tin-tuc,hoat-dong,van-ban}/*/index.html'

if [ ! -f "$SITE/tim-kiem/index.json" ]; then
  "$work/bantin" build -s "$corpus" -d "$SITE" >/dev/null
fi
[ -f "$SITE/pagefind/pagefind.js" ] || "$pf" --site "$SITE" --quiet
[ -f "$SITE/pagefind-main/pagefind.js" ] || "$pf" --site "$SITE" --root-selector main --glob "$main_glob" --output-subdir pagefind-main --quiet

timed() { # $1 name, then the command → appends "wall user+sys rssKB" to $OUT/time-$1.txt
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1
  read -r wall user sys rss < <(tail -n1 "$work/t")
  echo "$wall $(echo "$user + $sys" | bc) $rss" | tee -a "$OUT/time-$name.txt"
}
rm -f "$OUT"/time-*.txt "$OUT"/profile-*.txt
echo "== timings: a warm-up of each, then $RUNS alternated runs (wall s, cpu s, peak RSS KB)"
for i in $(seq 0 "$RUNS"); do
  out="$work/bt"; aside "$out"
  if [ "$i" = 0 ]; then "$work/bantin" build -s "$corpus" -d "$out" >/dev/null; else echo -n "bantin build: "; timed bantin "$work/bantin" build -s "$corpus" -d "$out"; fi
  out="$work/pf"; aside "$out"
  if [ "$i" = 0 ]; then "$pf" --site "$SITE" --output-path "$out" --quiet; else echo -n "pagefind (defaults): "; timed pagefind "$pf" --site "$SITE" --output-path "$out"; fi
  out="$work/pfm"; aside "$out"
  if [ "$i" = 0 ]; then "$pf" --site "$SITE" --root-selector main --glob "$main_glob" --output-path "$out" --quiet; else echo -n "pagefind (main, articles): "; timed pagefind-main "$pf" --site "$SITE" --root-selector main --glob "$main_glob" --output-path "$out"; fi
done
out="$work/npx"; aside "$out"
echo -n "npx pagefind (defaults, once): "
(cd "$PF_NPM" && timed npx npx pagefind --site "$SITE" --output-path "$out")

echo "== CPU profiles of $RUNS bantin builds: writeSearch's share"
# search.Build indexes on goroutines of its own, whose samples are not under writeSearch: the
# focus takes every sample with a search function anywhere in its stack.
search_focus='bantin/internal/search\.|build\.\(\*Site\)\.(writeSearch|SearchFiles|searchDocs|bodyTexts)|build\.searchFiles|build\.\(\*Session\)\.searchDoc'
for i in $(seq 1 "$RUNS"); do
  out="$work/bt"; aside "$out"
  BANTIN_CPUPROFILE="$work/cpu-$i.prof" "$work/bantin" build -s "$corpus" -d "$out" >/dev/null
  go tool pprof -top -cum "$work/bantin" "$work/cpu-$i.prof" 2>/dev/null > "$OUT/profile-$i.txt"
  grep -E '^Duration|build\.\(\*Site\)\.writeSearch$' "$OUT/profile-$i.txt"
  go tool pprof -top -focus "$search_focus" "$work/bantin" "$work/cpu-$i.prof" 2>/dev/null > "$OUT/profile-search-$i.txt"
  echo "  every stack with search in it: $(grep -E '^Showing nodes' "$OUT/profile-search-$i.txt")"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for n in bantin pagefind pagefind-main; do
  echo "median $n: wall $(cut -d' ' -f1 "$OUT/time-$n.txt" | median) s, cpu $(cut -d' ' -f2 "$OUT/time-$n.txt" | median) s, rss $(cut -d' ' -f3 "$OUT/time-$n.txt" | median) KB"
done

echo "== sizes"
"$work/searchcmp" sizes -site "$SITE" | tee "$OUT/sizes.md"
echo "== browser (cold runs: $RUNS)"
"$work/searchcmp" run -site "$SITE" -runs "$RUNS" -json "$OUT/run.json" > "$OUT/run.md"
echo "== every match, against the judge"
"$work/searchcmp" explain -site "$SITE" > "$OUT/explain.md"
echo "results in $OUT: sizes.md run.md run.json explain.md time-*.txt profile-*.txt"
