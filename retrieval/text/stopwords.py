"""English stopwords: the Snowball project's list (snowballstem.org, algorithms/english/stop.txt), the list Lucene's
EnglishAnalyzer family and bm25s use, plus "please", which questions add and articles rarely mean, pronouns such as
"anyone", and "done", the one form of "do" the list lacks ("what has Mexico done" asks what Mexico did)."""

SNOWBALL_ENGLISH = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before being below
    between both but by can't cannot could couldn't did didn't do does doesn't doing don't down during each few
    for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
    myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up very was wasn't we
    we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's
    with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
    """.split()
)

QUESTION_FILLER = frozenset({"please"})
"""("Tell me ..." is filler too, but "did Sheinbaum tell reporters" is not: the question parser drops the first.)"""
MISSING_FORMS = frozenset({"done"})
INDEFINITE_PRONOUNS = frozenset(
    "anyone anybody anything someone somebody something everyone everybody everything".split()
)
"""Pronouns that stand for no one in particular ("did anyone praise Trump"), which the list lacks: a question is not
about them, and a source that lacks them has not failed to mention anything."""

_ALSO_A_WORD = frozenset({"hell", "id", "ill", "lets", "shed", "shell", "wed", "well", "were", "its"})
CHAT_CONTRACTIONS = frozenset(w.replace("'", "") for w in SNOWBALL_ENGLISH if "'" in w) - _ALSO_A_WORD
"""The list's contractions typed without the apostrophe, as people type on Discord ("whats", "didnt", "wheres"),
less those that are also words ("well", "shell", "ill")."""

ENGLISH_STOPWORDS = SNOWBALL_ENGLISH | QUESTION_FILLER | MISSING_FORMS | INDEFINITE_PRONOUNS | CHAT_CONTRACTIONS

CHAT_FILLER = frozenset(
    """
    hey hi hello hiya yo sup thx thanks thanku ty tysm pls plz lol lmao lmfao rofl haha hahaha hehe btw idk imo imho
    bot quick question sorry dumb stupid ok okay k cool nice wow omg ugh hmm um uh
    """.split()
)
"""Words of chat that are about nothing in an article ("hey bot quick question", "thx!", "lol"). Not stopwords: an
article may say "question" or "cool". A question word in this list that the sources lack is dropped from the search
and never named as missing."""
