#!/usr/bin/env bash
# bantin vs Hugo on the same generated corpus, side by side.
#
#   bench/compare.sh [N] [RUNS]        defaults: N=10000, RUNS=3
#
# Generates the corpus once with ../shared/bench/gen_corpus.py (both flavours, cached under
# ~/.cache/bantin-compare), installs the pinned Hugo (v0.165.0) if it is missing, builds bantin,
# then runs the two generators alternately (a warm-up pair, then A B A B …, RUNS each), every run a
# fresh process into a fresh output folder, minify on. Old outputs are moved aside, not deleted, until
# the end: on ext4 without a journal (as here) the inode allocator skips inodes freed in the last
# ~30 s one by one (fs/ext4/ialloc.c, recently_deleted), so a build right after `rm -rf` of a
# 30,000-file output pays several seconds of kernel time that a fresh checkout never does. Prints median wall time, CPU time (user+sys)
# and peak RSS for each, and bantin's ratios to Hugo; after each bantin run, bantin builds again into
# the same output with nothing changed (it must write nothing), and its ratio to the cold build.
# Needs go, python3 and GNU time (/usr/bin/time).
set -euo pipefail
N=${1:-10000}
RUNS=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${BANTIN_SHARED_BENCH:-$root/../shared/bench}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/bantin-compare
export PATH="$(go env GOPATH)/bin:$PATH"

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
command -v hugo >/dev/null || { echo "installing Hugo v0.165.0 (several minutes, once)…" >&2; go install github.com/gohugoio/hugo@v0.165.0; }

corpus() { # $1 flavour → prints the corpus dir
  local d="$cache/n$N-$1"
  if [ ! -f "$d/MANIFEST.json" ]; then
    rm -rf "$d"; mkdir -p "$cache"
    python3 "$shared/gen_corpus.py" --n "$N" --out "$d" --flavor "$1" >/dev/null
  fi
  echo "$d"
}
bt_src=$(corpus bantin)
hu_src=$(corpus hugo)

work=$(mktemp -d /tmp/bantin-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT
aside() { [ ! -e "$1" ] || mv "$1" "$work/trash/$(date +%s%N)"; } # instead of rm -rf (see above)
mkdir -p "$work/trash"
go build -C "$root" -o "$work/bantin" ./cmd/bantin
hsite="$work/hugo"
cp -r "$shared/hugo-site/." "$hsite/"
cp -r "$hu_src/content/." "$hsite/content/"
cp -r "$hu_src/static" "$hu_src/data" "$hsite/"

run() { # $1 name → appends "wall cpu rssKB files" to $work/$1.txt (skipped for the warm-up)
  local out t
  if [ "$1" = bantin ]; then
    out="$work/bt-out"; aside "$out"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$work/bantin" build -s "$bt_src" -d "$out" >/dev/null
  else
    out="$hsite/public"; aside "$out"
    (cd "$hsite" && /usr/bin/time -f "%e %U %S %M" -o "$work/t" hugo --minify --quiet)
  fi
  read -r wall user sys rss < <(tail -n1 "$work/t")
  files=$(find "$out" -type f ! -name '.bantin*' | wc -l)
  [ "$2" = warm ] || echo "$wall $(echo "$user + $sys" | bc) $rss $files" >> "$work/$1.txt"
  if [ "$1" = bantin ] && [ "$2" != warm ]; then
    # The same build again into its own output, nothing changed: nothing may be written.
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$work/bantin" build -s "$bt_src" -d "$out" > "$work/again.out"
    grep -q ' 0 written, 0 removed' "$work/again.out" || { echo "a no-change rebuild wrote files: $(cat "$work/again.out")" >&2; exit 1; }
    read -r wall user sys rss < <(tail -n1 "$work/t")
    echo "$wall $(echo "$user + $sys" | bc) $rss $files" >> "$work/again.txt"
  fi
}

for i in $(seq 0 "$RUNS"); do
  phase=measure; [ "$i" = 0 ] && phase=warm
  run bantin $phase
  run hugo $phase
done

python3 - "$work" "$N" <<'PY'
import statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
med = {}
for name in ("bantin", "hugo"):
    rows = [list(map(float, l.split())) for l in open(f"{work}/{name}.txt")]
    med[name] = [statistics.median(c) for c in zip(*rows)]
    w, c, r, f = med[name]
    print(f"{name:6s} N={n}: wall {w:6.2f} s  cpu {c:6.2f} s  peak RSS {r/1024:7.0f} MB  files {int(f)}  (median of {len(rows)})")
b, h = med["bantin"], med["hugo"]
print(f"bantin/hugo N={n}: wall {b[0]/h[0]:.3f}  cpu {b[1]/h[1]:.3f}  peak RSS {b[2]/h[2]:.3f}")
rows = [list(map(float, l.split())) for l in open(f"{work}/again.txt")]
a = [statistics.median(c) for c in zip(*rows)]
print(f"bantin no-change rebuild N={n}: wall {a[0]:6.2f} s  cpu {a[1]:6.2f} s  peak RSS {a[2]/1024:7.0f} MB  (0 files written; median of {len(rows)})")
print(f"rebuild/cold N={n}: wall {a[0]/b[0]:.3f}  cpu {a[1]/b[1]:.3f}")
PY
