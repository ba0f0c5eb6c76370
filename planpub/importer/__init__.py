"""Turn existing plan documents (.docx, .txt in any Chinese encoding, .md, .html) into plan files.

The steps, one module each: `reading` (bytes to blocks), `script` (pinyin annotations, Traditional to Simplified),
`cleaning` (site chrome, page numbers, broken paragraphs), `parts` (several plans in one file), `metadata`
(front-matter fields), `structure` (heading levels), `markdown` and `writer` (the plan file), `report` and
`command` (what the author sees). `pipeline.convert` runs them for one file.
"""
