#!/usr/bin/env bash
# `rubric doc --format html` rendered for real in headless Chromium, for each
# ACR guideline: a probe script (added to a copy of the page) reads what the
# browser laid out — the visible text of every variant section and rating row
# (7 and 77 for Low Back Pain, 6 and 64 for Head Trauma-Child, 4 and 52 for
# Suspected PE 2022, 3 and 39 for 2016), each row with its four cells and a
# readable font size, the caveats listed under the tables, and the embedded
# graph SVG with a size. Then a screenshot and a PDF print (the print styles)
# must come out.
# Skipped, with a message, where Chromium is absent.
# Usage: tests/cli/doc_chromium.sh RUBRIC_BINARY [BUILD_DIR]   (run from the project root)
set -uo pipefail
rubric="$1"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP doc_chromium: Chromium not installed (apt-get install chromium, listed in scripts/setup-deps.sh)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.log"
}

# The probe: counts only what the browser actually shows.
cat > "$tmp/probe.js" <<'JS'
<script>
(function () {
  function shown(el) { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
  const variants = [...document.querySelectorAll('section.variant')]
    .filter(s => shown(s) && /^Variant \d+: \S/.test(s.querySelector('h2').innerText));
  let readable = 0;
  for (const tr of document.querySelectorAll('tr.rating')) {
    const cells = [...tr.cells];
    const ok = shown(tr) && cells.length === 4 && cells.every(c => c.innerText.trim().length > 0) &&
      parseFloat(getComputedStyle(tr).fontSize) >= 10 &&
      /appropriate/i.test(cells[1].innerText);
    if (ok) readable++;
  }
  const svg = document.querySelector('figure.graph svg');
  const svgOk = svg && svg.getBoundingClientRect().width > 200 && /Variant 2/.test(svg.textContent);
  const titles = variants.map(s => s.querySelector('h2').innerText.replace(/:.*/, '')).join(',');
  const caveats = [...document.querySelectorAll('section.variant li')].filter(li => shown(li) && /^Caveat \d+:/.test(li.innerText)).length;
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = 'PROBE variants=' + variants.length + ' ratings=' + readable + ' svg=' + (svgOk ? 1 : 0) +
    ' caveats=' + caveats + ' titles=' + titles;
  document.body.appendChild(pre);
})();
</script>
JS

# check_doc NAME GUIDELINE VARIANTS RATINGS CAVEATS: the page of one guideline.
check_doc() {
  local name=$1 guideline=$2 variants=$3 ratings=$4 caveats=$5 rc probe pages titles
  "$rubric" doc "$guideline" --format html -o "$tmp/$name.html"; rc=$?
  check "$name: doc --format html exits 0" '[ $rc -eq 0 ] && [ -s "$tmp/$name.html" ]'
  sed -e "/<\/body>/{r $tmp/probe.js" -e 'd}' "$tmp/$name.html" > "$tmp/$name.probe.html"
  echo "</body></html>" >> "$tmp/$name.probe.html"
  chrome --virtual-time-budget=5000 --window-size=1200,900 --dump-dom "file://$tmp/$name.probe.html" > "$tmp/$name.dom.html"
  probe=$(grep -o '<pre id="probe">PROBE [^<]*' "$tmp/$name.dom.html" | head -1)
  echo "chromium $name: $probe"
  titles=$(seq -s, -f 'Variant %g' 1 "$variants")
  check "$name: Chromium shows all $variants variant sections" 'echo "$probe" | grep -q "variants=$variants "'
  check "$name: Chromium shows $ratings readable rating rows" 'echo "$probe" | grep -q "ratings=$ratings "'
  check "$name: the embedded graph SVG is laid out" 'echo "$probe" | grep -q "svg=1"'
  check "$name: $caveats caveats listed under the tables" 'echo "$probe" | grep -q "caveats=$caveats "'
  check "$name: variants in ACR numbering" 'echo "$probe" | grep -q "titles=$titles\$"'

  chrome --window-size=1200,1600 --screenshot="$tmp/$name.png" "file://$tmp/$name.html" > /dev/null
  check "$name: a screenshot is rendered" '[ -s "$tmp/$name.png" ] && [ $(stat -c %s "$tmp/$name.png") -gt 50000 ]'
  chrome --no-pdf-header-footer --print-to-pdf="$tmp/$name.pdf" "file://$tmp/$name.html" > /dev/null
  pages=$(grep -a -c "/Type /Page$\|/Type /Page[^s]" "$tmp/$name.pdf" 2>/dev/null || echo 0)
  check "$name: the print styles give one page or more per variant (pages: $pages)" \
    '[ -s "$tmp/$name.pdf" ] && [ "$pages" -gt "$variants" ]'
}

check_doc lbp guidelines/acr/low_back_pain.rubric 7 77 0
check_doc head_trauma_child guidelines/acr/head_trauma_child.rubric 6 64 0
check_doc suspected_pe guidelines/acr/suspected_pe.rubric 4 52 7
check_doc suspected_pe_2016 guidelines/acr/history/suspected_pe_2016.rubric 3 39 0
if [ $fail -ne 0 ]; then tail -20 "$tmp/chromium.log"; fi
[ $fail -eq 0 ] && echo "doc_chromium: all passed" || echo "doc_chromium: FAILED"
exit $fail
