#!/usr/bin/env python3
"""Checks a paper (PDF) as the stall holder who posts it would see it, from
the words poppler finds on each page (pdftotext -bbox):

  - every word lies inside the page's frame (--frame points from each edge);
  - every page has a running header at its top and, as its lowest line, its
    number and the count, "第 x 页 共 y 页" (--lang zh) or "Page x of y"
    (--lang en), numbered 1..y within each card, y the card's page count;
  - no page holds fewer than --min-lines lines between the two;
  - with --headings REGEX: no page ends on a heading (a line matching REGEX
    just above the page number): a heading goes with what it heads;
  - with --columns W1,W2: on every page, each of those words in a table's
    head starts where a word of the table's next row starts (the next line
    starting where the head's line does): head and rows line up.

    pdfcheck.py FILE.pdf [--frame 42.52] [--lang zh|en] [--min-lines 3]
                [--headings REGEX] [--columns W1,W2]

Prints one line per problem ("FILE page N: ...") and exits 1 if there is
any; prints "FILE: N pages, M words inside the frame" and exits 0 if not.
"""
import html.parser
import re
import subprocess
import sys

TOLERANCE = 0.6  # points: glyph boxes poppler rounds


class Words(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.pages = []
        self.word = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append({"w": float(a["width"]), "h": float(a["height"]), "words": []})
        elif tag == "word":
            self.word = [float(a["xmin"]), float(a["ymin"]), float(a["xmax"]), float(a["ymax"]), ""]

    def handle_data(self, data):
        if self.word is not None:
            self.word[4] += data

    def handle_endtag(self, tag):
        if tag == "word" and self.word is not None:
            self.pages[-1]["words"].append(self.word)
            self.word = None


def lines_of(words):
    """Words grouped into lines by their vertical centre (within 3 pt)."""
    lines = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        c = (w[1] + w[3]) / 2
        if lines and abs(lines[-1]["c"] - c) <= 3:
            lines[-1]["words"].append(w)
        else:
            lines.append({"c": c, "words": [w]})
    for ln in lines:
        ln["words"].sort(key=lambda w: w[0])
        ln["text"] = " ".join(w[4] for w in ln["words"])
        ln["top"] = min(w[1] for w in ln["words"])
    return lines


def main():
    args = sys.argv[1:]
    path, frame, lang, min_lines, columns, headings = None, 42.52, "zh", 3, [], None
    while args:
        a = args.pop(0)
        if a == "--frame":
            frame = float(args.pop(0))
        elif a == "--lang":
            lang = args.pop(0)
        elif a == "--min-lines":
            min_lines = int(args.pop(0))
        elif a == "--headings":
            headings = re.compile(args.pop(0))
        elif a == "--columns":
            columns = args.pop(0).split(",")
        else:
            path = a
    xml = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True, text=True,
                         check=True).stdout
    p = Words()
    p.feed(xml)
    label = (re.compile(r"^第 (\d+) 页 共 (\d+) 页$") if lang == "zh"
             else re.compile(r"^Page (\d+) of (\d+)$"))
    problems, nwords = [], 0
    expect_page, card_pages = 1, None
    for i, page in enumerate(p.pages, 1):
        W, H, words = page["w"], page["h"], page["words"]
        nwords += len(words)
        for x0, y0, x1, y1, text in words:
            if (x0 < frame - TOLERANCE or y0 < frame - TOLERANCE or
                    x1 > W - frame + TOLERANCE or y1 > H - frame + TOLERANCE):
                problems.append(f"page {i}: '{text}' at [{x0:.1f},{y0:.1f}..{x1:.1f},{y1:.1f}] "
                                f"is outside the {frame:.1f} pt frame of {W:.0f}x{H:.0f}")
        lines = lines_of(words)
        if not lines:
            problems.append(f"page {i}: empty")
            continue
        head, foot = lines[0], lines[-1]
        if head["top"] > frame + 14:
            problems.append(f"page {i}: no running header at the top (first line at "
                            f"{head['top']:.1f} pt: '{head['text']}')")
        m = label.match(foot["text"])
        if m is None:
            problems.append(f"page {i}: the last line is '{foot['text']}', not its page number")
        else:
            x, y = int(m.group(1)), int(m.group(2))
            if x != expect_page or (card_pages is not None and expect_page > 1 and y != card_pages):
                problems.append(f"page {i}: numbered {x} of {y}, expected {expect_page} of "
                                f"{card_pages if expect_page > 1 else y}")
            card_pages = y
            expect_page = 1 if x >= y else x + 1
        body = lines[1:-1]
        if headings is not None and len(body) > 1 and headings.search(body[-1]["text"]):
            problems.append(f"page {i}: ends on a heading, apart from what it heads: "
                            f"'{body[-1]['text']}'")
        for n, ln in enumerate(body):
            if not any(w[4] in columns for w in ln["words"]):
                continue
            left = ln["words"][0][0]
            row = next((r for r in body[n + 1:] if abs(r["words"][0][0] - left) <= 1.0), None)
            if row is None:
                continue
            for w in ln["words"]:
                if w[4] in columns and not any(abs(v[0] - w[0]) <= 1.0 for v in row["words"]):
                    problems.append(f"page {i}: the column '{w[4]}' (x {w[0]:.1f}) does not line "
                                    f"up with the row below: '{row['text']}'")
        if len(body) < min_lines:
            problems.append(f"page {i}: only {len(body)} line(s) between header and page number: "
                            + " | ".join(ln["text"] for ln in body))
    if expect_page != 1:
        problems.append(f"the last card ends on page {expect_page - 1} of {card_pages}")
    for pr in problems:
        print(f"{path} {pr}")
    if not problems:
        print(f"{path}: {len(p.pages)} pages, {nwords} words inside the frame")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
