"""oEmbed consumer (micawber) for the board page: discovers the endpoint from the pasted
board URL's <link rel="alternate" type="application/json+oembed">, registers it with
micawber (which has no discovery of its own), and prints what micawber gets as JSON:
the oEmbed answer and the HTML micawber puts in place of the URL in a text.

Usage: micawber_consumer.py BOARD_URL
"""

import json
import re
import sys
import urllib.request
from html.parser import HTMLParser

import micawber


class DiscoveryLink(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "link"
            and attrs.get("rel") == "alternate"
            and attrs.get("type") == "application/json+oembed"
            and self.href is None
        ):
            self.href = attrs.get("href")


def main(board_url):
    with urllib.request.urlopen(board_url, timeout=30) as response:
        page = response.read().decode("utf-8")
    finder = DiscoveryLink()
    finder.feed(page)
    if not finder.href:
        raise SystemExit("no oEmbed discovery link on " + board_url)
    endpoint = finder.href.split("?", 1)[0]
    registry = micawber.ProviderRegistry()
    registry.register(re.escape(board_url.split("?", 1)[0]) + r"\S*", micawber.Provider(endpoint))
    answer = registry.request(board_url, maxwidth=480)
    text = registry.parse_text("Our board:\n" + board_url)
    print(json.dumps({"endpoint": endpoint, "answer": answer, "text": text}))


if __name__ == "__main__":
    main(sys.argv[1])
