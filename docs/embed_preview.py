"""Render qabot's answer embed as Discord shows it, for docs/answer-embed.png.

Builds the answer exactly as the bot does (``answer_message`` on the seed sources), turns the embed and button JSON
that would be sent into a local HTML page styled like Discord's dark theme, and, when Chromium is installed,
screenshots it headless (nothing is fetched: no network, a fresh profile).

    PYTHONPATH=. .venv/bin/python docs/embed_preview.py [--question Q] [--seeds DIR] [--html FILE] [--png FILE]
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.answering import answer_for
from bot.views import answer_message
from retrieval.corpus import load_corpus

STYLE = """
body { background: #313338; color: #dbdee1; font: 16px/1.375 "gg sans", "Noto Sans", "DejaVu Sans", sans-serif;
       margin: 0; padding: 16px 16px 24px 16px; width: 720px; }
.msg { display: flex; gap: 16px; } .avatar { width: 40px; height: 40px; border-radius: 50%; background: #5865f2;
       color: white; display: flex; align-items: center; justify-content: center; font-weight: 600; flex: none; }
.name { color: #f2f3f5; font-weight: 600; } .tag { background: #5865f2; color: white; font-size: 10px;
       padding: 1px 4px; border-radius: 3px; margin-left: 4px; vertical-align: 2px; }
.time { color: #949ba4; font-size: 12px; margin-left: 6px; }
.embed { background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 16px 16px 12px;
       margin-top: 6px; max-width: 520px; font-size: 14px; }
.author { font-weight: 600; font-size: 14px; color: #f2f3f5; margin-top: 8px; }
.title { font-weight: 600; font-size: 16px; color: #f2f3f5; margin-top: 8px; } .title a { color: #00a8fc; }
.desc, .value { margin-top: 8px; white-space: pre-wrap; } .fname { font-weight: 600; margin-top: 8px; color: #f2f3f5; }
blockquote { margin: 0; padding-left: 12px; border-left: 4px solid #4e5058; }
code { background: #1e1f22; border-radius: 3px; padding: 0 3px; font-size: 85%; font-family: Consolas, monospace; }
.footer { color: #b5bac1; font-size: 12px; margin-top: 8px; } a { color: #00a8fc; text-decoration: none; }
.buttons { margin-top: 8px; display: flex; gap: 8px; } .button { background: #4e5058; color: white; border-radius: 3px;
       padding: 2px 16px; height: 32px; display: flex; align-items: center; font-size: 14px; font-weight: 500; }
"""


def markdown(text: str) -> str:
    """The subset of Discord markdown qabot sends: block quotes, bold, italics, inline code, links, escapes."""
    lines, quote, out = text.split("\n"), [], []
    for line in [*lines, None]:
        if line is not None and (line.startswith("> ") or line == ">"):
            quote.append(line[2:])
            continue
        if quote:
            out.append("<blockquote>" + "<br>".join(_inline(q) for q in quote) + "</blockquote>")
            quote = []
        if line is not None:
            out.append(_inline(line) + "<br>")
    return "".join(out).removesuffix("<br>")


def _inline(text: str) -> str:
    escapes: list[str] = []
    text = re.sub(r"\\(.)", lambda m: escapes.append(m.group(1)) or f"\x00{len(escapes) - 1}\x00", text)
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: html.escape(escapes[int(m.group(1))]), text)


def page(embed: dict, components: list[dict]) -> str:
    """An HTML page showing one bot message with ``embed`` and its button rows, in Discord's dark theme."""
    colour = f"#{embed.get('color', 0x5865F2):06x}"
    parts = [f'<div class="embed" style="border-color:{colour}">']
    if "author" in embed:
        parts.append(f'<div class="author">{html.escape(embed["author"]["name"])}</div>')
    if "title" in embed:
        title = _inline(embed["title"])
        if "url" in embed:
            title = f'<a href="{html.escape(embed["url"])}">{title}</a>'
        parts.append(f'<div class="title">{title}</div>')
    if "description" in embed:
        parts.append(f'<div class="desc">{markdown(embed["description"])}</div>')
    for field in embed.get("fields", []):
        parts.append(
            f'<div class="fname">{_inline(field["name"])}</div><div class="value">{markdown(field["value"])}</div>'
        )
    if "footer" in embed:
        parts.append(f'<div class="footer">{html.escape(embed["footer"]["text"])}</div>')
    parts.append("</div>")
    for row in components:
        buttons = []
        for button in row["components"]:
            emoji = (button.get("emoji") or {}).get("name", "")
            label = html.escape(" ".join(filter(None, [emoji, button.get("label", "")])))
            buttons.append(f'<div class="button">{label}{" ↗" if button["style"] == 5 else ""}</div>')
        parts.append(f'<div class="buttons">{"".join(buttons)}</div>')
    body = "".join(parts)
    return (
        f"<!doctype html><meta charset=utf-8><style>{STYLE}</style><div class=msg><div class=avatar>qa</div><div>"
        f"<span class=name>qabot</span><span class=tag>APP</span><span class=time>Today at 12:00</span>{body}"
        "</div></div>"
    )


def screenshot(html_file: Path, png: Path) -> None:
    """Screenshot ``html_file`` with headless Chromium into ``png`` (a fresh profile; no network features)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium); the HTML is at " + str(html_file))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--window-size=760,520",
                f"--screenshot={png.resolve()}",
                html_file.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--question", default="How long did Trump and Sheinbaum talk?")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--html", type=Path, default=Path(tempfile.gettempdir()) / "qabot-answer-embed.html")
    parser.add_argument("--png", type=Path, default=Path("docs/answer-embed.png"))
    args = parser.parse_args()
    corpus = load_corpus(args.seeds)
    message = answer_message(answer_for(args.question, corpus), corpus, embeds=True)
    components = message.view.to_components() if message.view else []
    args.html.write_text(page(message.embed.to_dict(), components), encoding="utf-8")
    screenshot(args.html, args.png)
    print(f"wrote {args.html} and {args.png}")


if __name__ == "__main__":
    main()
