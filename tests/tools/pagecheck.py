#!/usr/bin/env python3
"""Loads a published site in headless Chromium, as a phone and a desktop
would, and reports every page that fails: one that scrolls sideways (an
element wider than the screen), a link or style sheet that points nowhere,
a page that does not load, a script, or a request to anything outside the
site.  Prints TAP-style lines ("ok N - ..." / "not ok N - ..."), one per
width, and exits 1 on any failure.

    pagecheck.py SITE_DIR [--width 375 --width 1280] [--every N] [--only PAGE]
                 [--chromium PATH]

Every HTML file's links are checked without a browser (all of them); the
browser loads every page that is not a stall's, every N-th stall page and
the 8 longest (most likely to overflow), at each width (--only PAGE: that
page alone).

Chromium is driven over its DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ended by NUL on fds 3 and 4), so
the only things needed are Debian's chromium and python3: no driver to
download, no port to open, one browser for the whole run.
"""
import html.parser
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-quic", "--disable-default-apps", "--disable-extensions",
         "--mute-audio", "--remote-debugging-pipe"]

MEASURE = r"""
(() => {
  const w = document.documentElement.clientWidth;
  const out = {scrollWidth: document.documentElement.scrollWidth, width: w,
               scripts: document.scripts.length, sheets: document.styleSheets.length,
               links: [], wide: [], title: document.title, lang: document.documentElement.lang};
  for (const a of document.querySelectorAll('a[href], link[rel=stylesheet]'))
    out.links.push(a.href);
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > w + 0.5 || r.left < -0.5) {
      out.wide.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                    ' [' + Math.round(r.left) + ',' + Math.round(r.right) + '] ' +
                    (e.textContent || '').trim().slice(0, 40));
      if (out.wide.length >= 3) break;
    }
  }
  // A short text (six characters or fewer) in a table cell never needs two
  // lines on a phone: when it takes them, something squeezes it (a folded
  // row's label and value laid out as columns with the rest of the cell).
  out.squeezed = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t && out.squeezed.length < 3; t = walk.nextNode()) {
    const text = t.textContent.trim();
    if (!text || [...text].length > 6 || !t.parentElement.closest('td')) continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                         .map(r => Math.round(r.top)));
    if (tops.size > 1) out.squeezed.push(text);
  }
  // A folded row's label (the cell's ::before) taller than its cell runs
  // into the next row: the cell must hold it.
  out.spill = [];
  for (const td of document.querySelectorAll('td[data-label]')) {
    if (out.spill.length >= 3) break;
    const before = getComputedStyle(td, '::before');
    if (getComputedStyle(td).display === 'table-cell' || before.content === 'none') continue;
    const d = document.createElement('div');
    d.style.cssText = 'position:absolute;visibility:hidden;width:' + before.width +
                      ';font:' + before.font + ';line-height:' + before.lineHeight;
    d.textContent = td.dataset.label;
    document.body.appendChild(d);
    if (d.getBoundingClientRect().height > td.getBoundingClientRect().height + 1)
      out.spill.push(td.dataset.label);
    d.remove();
  }
  return JSON.stringify(out);
})()
"""


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="pagecheck-")
        to_r, to_w = os.pipe()      # commands: we write, chromium reads fd 3
        from_r, from_w = os.pipe()  # replies: chromium writes fd 4, we read

        def fds():
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        self.proc = subprocess.Popen(
            [chromium] + FLAGS + ["--user-data-dir=" + self.profile, "about:blank"],
            pass_fds=(3, 4, to_r, from_w), preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.w = os.fdopen(to_w, "wb", buffering=0)
        self.r = os.fdopen(from_r, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read(self):
        while b"\0" not in self.buf:
            chunk = self.r.read(65536)
            if not chunk:
                raise RuntimeError("chromium went away")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.w.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, name, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e["method"] == name:
                    del self.events[i]
                    return e
            self.events.append(self._read())
        raise RuntimeError(f"no {name} in {timeout} s")

    def open_tab(self):
        t = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        a = self.call("Target.attachToTarget", {"targetId": t["targetId"], "flatten": True},
                      session=False)
        self.session = a["sessionId"]
        self.call("Page.enable")
        self.call("Network.enable")

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run(["rm", "-rf", self.profile])


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "link" and a.get("rel") == "stylesheet":
            self.links.append(a["href"])
        if tag in ("img", "iframe", "source") and "src" in a:
            self.links.append(a["src"])


def target_exists(site, page, href):
    """Whether a link from page (relative to site) lands on a file of the site."""
    u = urllib.parse.urlsplit(href)
    if u.scheme in ("http", "https"):
        return None  # outside: reported separately
    if u.scheme == "file":
        path = urllib.parse.unquote(u.path)
    else:
        path = os.path.normpath(os.path.join(os.path.dirname(os.path.join(site, page)),
                                             urllib.parse.unquote(u.path)))
    return os.path.isfile(path) and os.path.realpath(path).startswith(os.path.realpath(site))


def main():
    args = sys.argv[1:]
    site, widths, every, chromium, only = None, [], 10, "/usr/bin/chromium", []
    while args:
        a = args.pop(0)
        if a == "--width":
            widths.append(int(args.pop(0)))
        elif a == "--every":
            every = int(args.pop(0))
        elif a == "--only":
            only.append(args.pop(0))
        elif a == "--chromium":
            chromium = args.pop(0)
        else:
            site = os.path.abspath(a)
    widths = widths or [375, 1280]
    pages = sorted(os.path.relpath(os.path.join(d, f), site)
                   for d, _, fs in os.walk(site) for f in fs if f.endswith(".html"))
    n, failed = 0, 0

    def report(ok, what, why=""):
        nonlocal n, failed
        n += 1
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {n} - {what}")
        if not ok and why:
            for line in why.splitlines()[:12]:
                print(f"# {line}")

    # Every page's links, without a browser.
    broken, outside, scripted = [], [], []
    for p in pages:
        parser = Links()
        with open(os.path.join(site, p), encoding="utf-8") as f:
            parser.feed(f.read())
        if parser.scripts:
            scripted.append(p)
        for href in parser.links:
            e = target_exists(site, p, href)
            if e is None:
                outside.append(f"{p} -> {href}")
            elif not e:
                broken.append(f"{p} -> {href}")
    report(not broken, f"every link of {len(pages)} pages lands on a page of the site",
           "\n".join(broken))
    report(not outside, "no page links outside the site", "\n".join(outside))
    report(not scripted, "no page holds a script", "\n".join(scripted))

    stalls = [p for p in pages if p.startswith("stall/")]
    chosen = [p for p in pages if not p.startswith("stall/")]
    longest = sorted(stalls, key=lambda p: -os.path.getsize(os.path.join(site, p)))[:8]
    chosen += [p for i, p in enumerate(stalls) if i % every == 0 or p in longest]

    if only:
        chosen = only
    b = Browser(chromium)
    try:
        b.open_tab()
        for width in widths:
            mobile = width < 600
            b.call("Emulation.setDeviceMetricsOverride",
                   {"width": width, "height": 800, "deviceScaleFactor": 2 if mobile else 1,
                    "mobile": mobile})
            problems = []
            start = time.time()
            for p in chosen:
                url = "file://" + urllib.parse.quote(os.path.join(site, p))
                b.events = []
                nav = b.call("Page.navigate", {"url": url})
                if nav.get("errorText"):
                    problems.append(f"{p}: does not load: {nav['errorText']}")
                    continue
                b.wait_event("Page.loadEventFired")
                for e in b.events:
                    if e["method"] == "Network.requestWillBeSent":
                        req = e["params"]["request"]["url"]
                        if not req.startswith(("file://", "data:", "about:")):
                            problems.append(f"{p}: fetches {req}")
                r = b.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True})
                m = json.loads(r["result"]["value"])
                if m["scrollWidth"] > m["width"]:
                    problems.append(f"{p}: {m['scrollWidth']} px wide in {m['width']} px: " +
                                    "; ".join(m["wide"]))
                if m["squeezed"]:
                    problems.append(f"{p}: short texts broken over two lines in a table cell: " +
                                    ", ".join(m["squeezed"]))
                if m["spill"]:
                    problems.append(f"{p}: a folded row's label runs out of its cell: " +
                                    ", ".join(m["spill"]))
                if m["sheets"] < 1:
                    problems.append(f"{p}: its style sheet did not load")
                if m["scripts"]:
                    problems.append(f"{p}: {m['scripts']} scripts")
                for href in m["links"]:
                    if href.startswith("file://") and not target_exists(site, p, href):
                        problems.append(f"{p}: link to a missing page {href}")
            report(not problems,
                   f"{len(chosen)} pages at {width} px: none scrolls sideways, each loads "
                   f"its style and nothing from outside ({time.time() - start:.1f} s)",
                   "\n".join(problems))
    finally:
        b.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
