"""Ordinary news sentences that share a keyword with chrome stay; the chrome itself still goes.

A sentence-shaped line needs more than one keyword to go: the generic rules for newsletters,
consent, click prompts and copyright take a sentence only when it also speaks to the reader.
"""

from __future__ import annotations

import pytest

from cleaner import clean_text

ARTICLE = [
    "The bridge over the river reopened on Monday after a month of repairs, the council said.",
    "Engineers had found cracks in two of the supports during a routine check in the spring.",
    "Traffic was light in the morning, but the buses were back on their usual routes by noon.",
    "The council said it would inspect every bridge in the city again in the autumn.",
]
NEWS_SENTENCES = [
    "The streaming service raised its monthly subscription price to $12.99, the third increase in two years.",
    "More than 4,000 young people signed up for the army last year, the defence ministry said on Tuesday.",
    "The newsletter team at the paper now sends out three editions a day to about 200,000 readers.",
    "She said her inbox filled with hundreds of messages from parents within an hour of the announcement.",
    "Regulators found that the app placed cookies and trackers on phones without asking the users first.",
    "The surgeon said no operation went ahead without the patient's consent, even in an emergency.",
    "The company admitted that the personal data of 3 million customers had been exposed for six months.",
    "Officials told residents to click here and there on the council website, but most gave up within minutes.",
    "The band said all rights reserved by the old label would pass back to its members at the end of the year.",
    "Copyright 2019 was the year the court finally settled the long dispute over the song's authorship.",
    "Share prices in the company fell by a third after the report, wiping out two years of gains.",
    "Advertisement spending by the council rose by 40 percent in the year before the election.",
]
CHROME = [
    "Sign up for our newsletter to get the best stories in your inbox every morning.",
    "We use cookies to improve your experience. By continuing you accept our Privacy Policy.",
    "© 2024 Example Media Ltd. All rights reserved.",
    "Click here to read more of our coverage of the city.",
]


def page(*lines: str) -> str:
    return "Bridge reopens after a month\n\n" + "\n\n".join(lines) + "\n"


@pytest.mark.parametrize("sentence", NEWS_SENTENCES)
def test_a_news_sentence_with_a_chrome_keyword_stays_inside_the_article(sentence):
    result = clean_text(page(*ARTICLE[:2], sentence, *ARTICLE[2:]))
    assert sentence in result.paragraphs


def test_all_of_them_together_stay():
    result = clean_text(page(ARTICLE[0], *NEWS_SENTENCES, *ARTICLE[1:]))
    assert [p for p in result.paragraphs if p in NEWS_SENTENCES] == NEWS_SENTENCES


@pytest.mark.parametrize("line", CHROME)
def test_the_chrome_that_speaks_to_the_reader_still_goes(line):
    result = clean_text(page(*ARTICLE[:2], line, *ARTICLE[2:]))
    assert line not in result.text
    assert list(result.paragraphs) == ARTICLE
