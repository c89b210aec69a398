"""Screenshots of every page, wide (1920 px projector) and narrow (375 px phone), for looking at what we build.

Usage: python scripts/screenshots.py http://127.0.0.1:8050 OUT_DIR [--lang en]
Narrow shots use Chromium's device emulation: a plain 375 px window is not possible (desktop Chromium has a minimum
window width of about 500 px, which would hide layout problems).
"""

from __future__ import annotations

import argparse
import base64
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options

PAGES = {
    "overview": "/",
    "area": "/omraade/gellerup-toveshoej",
    "indicator": "/indikator/skolefravaer",
    "indicator-map": "/indikator/skolefravaer?fane=kort",
    "strategy": "/strategi",
    "data": "/data",
    "about": "/om",
    "not-found": "/findes-ikke",
    "embed": "/indikator/uden-for-arbejdsmarkedet?embed=1",
    "indicator-table": "/indikator/skolefravaer?fane=tabel",
}


def driver(width: int) -> webdriver.Chrome:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--hide-scrollbars",
        "--window-size=1920,1080",
    ):
        options.add_argument(flag)
    if width < 600:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": 800, "pixelRatio": 1}}
        )
    return webdriver.Chrome(options=options)


def full_page(browser: webdriver.Chrome, path: Path, part_height: int) -> None:
    """The whole page, in parts of ``part_height`` pixels (tall single images are unreadable when scaled down)."""
    height = min(browser.execute_script("return document.documentElement.scrollHeight"), 12000)
    width = browser.execute_script("return document.documentElement.clientWidth")
    for number, top in enumerate(range(0, height, part_height), start=1):
        clip = {"x": 0, "y": top, "width": width, "height": min(part_height, height - top), "scale": 1}
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
        path.with_name(f"{path.stem}-{number}.png").write_bytes(base64.b64decode(shot["data"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="da")
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for label, width in (("wide", 1920), ("narrow", 375)):
        browser = driver(width)
        try:
            for name, path in PAGES.items():
                if args.only and name not in args.only:
                    continue
                url = (
                    args.base.rstrip("/")
                    + path
                    + (("&" if "?" in path else "?") + "sprog=en" if args.lang == "en" else "")
                )
                browser.get(url)
                time.sleep(3)
                overflow = browser.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                full_page(browser, args.out / f"{name}-{label}-{args.lang}.png", 1200 if width < 600 else 2400)
                print(f"{name:14} {label:6} horizontal overflow: {overflow}px")
        finally:
            browser.quit()


if __name__ == "__main__":
    main()
