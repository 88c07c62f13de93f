#!/usr/bin/env bash
# `rubric doc --format html` rendered for real in headless Chromium: a probe
# script (added to a copy of the page) reads what the browser laid out — the
# visible text of the 7 variant sections and the 77 rating rows, each with its
# four cells and a readable font size, and the embedded graph SVG with a size.
# Then a screenshot and a PDF print (the print styles) must come out.
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

"$rubric" doc guidelines/acr/low_back_pain.rubric --format html -o "$tmp/lbp.html"; rc=$?
check "doc --format html exits 0" '[ $rc -eq 0 ] && [ -s "$tmp/lbp.html" ]'

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
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = 'PROBE variants=' + variants.length + ' ratings=' + readable + ' svg=' + (svgOk ? 1 : 0) + ' titles=' + titles;
  document.body.appendChild(pre);
})();
</script>
JS
sed -e "/<\/body>/{r $tmp/probe.js" -e 'd}' "$tmp/lbp.html" > "$tmp/probe.html"
echo "</body></html>" >> "$tmp/probe.html"
chrome --virtual-time-budget=5000 --window-size=1200,900 --dump-dom "file://$tmp/probe.html" > "$tmp/dom.html"
probe=$(grep -o '<pre id="probe">PROBE [^<]*' "$tmp/dom.html" | head -1)
echo "chromium: $probe"
check "Chromium shows all 7 variant sections" 'echo "$probe" | grep -q "variants=7 "'
check "Chromium shows 77 readable rating rows" 'echo "$probe" | grep -q "ratings=77 "'
check "the embedded graph SVG is laid out" 'echo "$probe" | grep -q "svg=1"'
check "variants in ACR numbering" 'echo "$probe" | grep -q "titles=Variant 1,Variant 2,Variant 3,Variant 4,Variant 5,Variant 6,Variant 7"'

chrome --window-size=1200,1600 --screenshot="$tmp/lbp.png" "file://$tmp/lbp.html" > /dev/null
check "a screenshot is rendered" '[ -s "$tmp/lbp.png" ] && [ $(stat -c %s "$tmp/lbp.png") -gt 50000 ]'
chrome --no-pdf-header-footer --print-to-pdf="$tmp/lbp.pdf" "file://$tmp/lbp.html" > /dev/null
pages=$(grep -a -c "/Type /Page$\|/Type /Page[^s]" "$tmp/lbp.pdf" 2>/dev/null || echo 0)
check "the print styles give one page or more per variant (pages: $pages)" '[ -s "$tmp/lbp.pdf" ] && [ "$pages" -ge 8 ]'
if [ $fail -ne 0 ]; then tail -20 "$tmp/chromium.log"; fi
[ $fail -eq 0 ] && echo "doc_chromium: all passed" || echo "doc_chromium: FAILED"
exit $fail
