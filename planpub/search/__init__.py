"""Full-text search for a static site: a character n-gram index split into small files, queried in the browser.

Why n-grams: Chinese has no spaces, and a word segmenter cuts a query and a text differently often enough to
lose plans (村振 inside 乡村振兴 is not a word). Every 1-, 2- and 3-character substring of the folded text is
indexed instead, so any query string is found without segmenting anything.

Matching (`docs/assets/search/search.js`; `planpub.search.query` is the Python reference for exact matching):
- Text and queries are folded character by character (`planpub.search.normalize`): NFKC, lower case,
  Traditional → Simplified, dashes to `-`, brackets and quotes dropped. Whitespace separates query terms; a plan
  must contain every term.
- A term's names from the equivalence table (`planpub.search.equivalents`, shipped in the manifest) stand for any
  name of their group, and 至 between digits also for `-`; a term is found as any of its spellings.
- A term of up to three characters is looked up directly, so its plans are exact. A longer term takes the plans
  holding all its overlapping 3-character grams; these are candidates, and a candidate is confirmed against the
  plan's text (its record file) before it is shown, so no result on screen lacks a term.
- A term that is a phrase in no plan is split into words (the browser's `Intl.Segmenter`, the table's names kept
  whole) and a plan must hold every word; the first results are then ordered: phrase, words close together, rest.
- Ranking: BM25-style relevance (per word, inverse document frequency times field weights — title 4, heading
  2.5, metadata 1.5 — plus a saturating count of occurrences read from the "twice" and "often" lists), then
  current plans before revised or repealed ones, then newest first.

Files under `search/` in the site (all paths relative to that folder; `.bin` files are gzip-compressed and
named `.bin` so that no web server adds or strips a Content-Encoding):

`manifest.json`
    `{"format": 1, "version": "<hash of all other files>", "plans": N, "shards": S, "gram": 3, "lists": 6,
    "t2s": "<pairs>", "dash": "<characters folded to ->", "drop": "<characters folded to nothing>",
    "eq": [[name, ...], ...]}`. `t2s` is a string of (Traditional, Simplified) character pairs for folding queries,
    limited to pairs whose Simplified character occurs in the index. Other files are fetched with
    `?v=<version>` so that a browser never mixes two builds.
`docs.bin`
    JSON columns indexed by plan number (0 = newest): `region` (index into `regions`, each
    `[key, name, parent index or -1]`, parents before children), `first` and `last` (the years the plan
    applies to), `category`, `issuer`, `status` (indexes into `categories`, `issuers`, `statuses`).
    Facet counts and filters are computed from it in the browser.
`g/<shard>.bin`
    Posting lists of the grams with `fnv1a32(code points of gram) % S == shard`, entries sorted by gram. Each
    entry: varint byte length and UTF-8 bytes of the gram, then six lists: the plans containing it anywhere,
    in the title or metadata, in the title, in a heading, at least twice, at least five times (a plan's title,
    metadata and text counted together). A list is a varint header `byte_length << 1 | kind` and a body: kind 0,
    varint gaps between ascending plan numbers (the first gap counts from -1); kind 1, a bitmap with bit `n & 7`
    of byte `n >> 3` set for plan n. The builder picks the smaller.
`r/<plan>.bin`
    JSON record of one plan: `u` its URL relative to the site root, `t` title, `f` `[[label, value], ...]`
    the metadata searched, `s` `[[heading id or "", heading, text], ...]` its sections, text paragraphs
    separated by newlines. Used to confirm candidates, to choose the section a result links to and to cut
    the snippet.
"""
