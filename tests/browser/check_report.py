#!/usr/bin/env python3
"""Opens a fincheck HTML report in headless Chromium, as a person would,
and checks it: the page loads with no console message (it has no scripts,
so any is an error), every inline SVG is drawn with a size and content,
and every image loads. With --screenshot, also saves a picture of the page.

Exit 0: the page is fine; 1: it is not (what is wrong is printed);
77: Chromium cannot run here (SKIPPED, with the reason).

usage: check_report.py [--screenshot PNG] [--min-svgs N] [--min-images N] INDEX.html
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

SKIP = 77
# Measures the page once loaded: every <details> unfolded first, so that a
# ladder folded away is measured too. Injected into a copy of the page only.
PROBE = """<script>
window.addEventListener('load', () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const lines = [];
  document.querySelectorAll('svg').forEach((s, i) => {
    if (s.parentElement && s.parentElement.closest('svg')) return;
    const r = s.getBoundingClientRect();
    lines.push('svg ' + i + ' ' + Math.round(r.width) + ' ' + Math.round(r.height) + ' ' +
               s.querySelectorAll('*').length);
  });
  document.querySelectorAll('img').forEach(m => {
    lines.push('img ' + (m.complete ? m.naturalWidth : 0) + ' ' + m.getAttribute('src'));
  });
  const pre = document.createElement('pre');
  pre.id = 'fincheck-probe';
  pre.textContent = lines.join('\\n');
  document.body.appendChild(pre);
});
</script>"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(binary, args, timeout=120):
    # --no-sandbox: the CI runs as root, where Chromium's sandbox refuses to start.
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
           "--v=0", "--virtual-time-budget=10000"] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--screenshot")
    parser.add_argument("--min-svgs", type=int, default=1)
    parser.add_argument("--min-images", type=int, default=0)
    o = parser.parse_args()

    binary = chromium()
    if not binary:
        print("SKIPPED: Chromium is not installed (apt-get install chromium)")
        return SKIP
    if not os.path.isfile(o.page):
        print(f"{o.page}: no such report")
        return 1
    page = os.path.abspath(o.page)
    with open(page, encoding="utf-8") as f:
        html = f.read()
    if "<script" in html:
        print(f"{page}: the report carries a script; it should need none")
        return 1
    if re.search(r"""(src|href)=["']?(https?:)?//""", html):
        print(f"{page}: the report fetches something from the network")
        return 1
    probe = os.path.join(os.path.dirname(page), "fincheck-probe.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", PROBE + "</body>"))
    try:
        result = run_chromium(binary, ["--dump-dom", "file://" + probe])
    except subprocess.TimeoutExpired:
        print("SKIPPED: Chromium did not finish in 120 s")
        return SKIP
    finally:
        os.remove(probe)
    match = re.search(r'<pre id="fincheck-probe">(.*?)</pre>', result.stdout, re.S)
    if not match:
        reason = result.stderr.strip().splitlines()[-1:] or ["no output"]
        print(f"SKIPPED: Chromium could not start or render here: {reason[0]}")
        return SKIP

    failures = []
    for line in result.stderr.splitlines():
        if ":CONSOLE" in line and "fincheck-probe" not in line:
            failures.append("console: " + line)
    svgs = images = 0
    for line in match.group(1).splitlines():
        fields = line.split(" ")
        if fields[0] == "svg":
            svgs += 1
            _, index, width, height, elements = fields
            if int(width) == 0 or int(height) == 0 or int(elements) < 3:
                failures.append(f"SVG {index} is empty: {width}x{height}, {elements} elements")
        elif fields[0] == "img":
            images += 1
            if int(fields[1]) == 0:
                failures.append(f"image {fields[2]} did not load")
    if svgs < o.min_svgs:
        failures.append(f"{svgs} SVG drawing(s), expected at least {o.min_svgs}")
    if images < o.min_images:
        failures.append(f"{images} image(s), expected at least {o.min_images}")
    for f in failures:
        print(f"{page}: {f}")
    if failures:
        return 1
    if o.screenshot:
        shot = run_chromium(binary, ["--hide-scrollbars", "--window-size=1280,1600",
                                     "--screenshot=" + os.path.abspath(o.screenshot),
                                     "file://" + page])
        if shot.returncode != 0 or not os.path.isfile(o.screenshot):
            print(f"{page}: no screenshot: {shot.stderr.strip().splitlines()[-1:]}")
            return 1
    print(f"{page}: loads with no console message; {svgs} SVG drawing(s) and {images} image(s), "
          "each drawn with a size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
