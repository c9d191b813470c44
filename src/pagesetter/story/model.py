"""A story (稿件): the text of one article as an editor wrote it, before any measuring."""
from __future__ import annotations

from dataclasses import field
from pathlib import Path

from ..records import record

# Paragraph roles and the spec style each takes by default.
BODY, SECTION_LEAD, SUBHEAD = "body", "section_lead", "subhead"
SIGNATURE = "signature"  # a closing line pushed right (署名: a name, a date): set in its own style
TABLE = "table"  # a row of a table flattened into text (表格行): cells apart, set ragged, no indent
GAP = "gap"  # inline: text lost in the source, shown visibly
STRONG = "strong"  # inline: **a dateline or lead-in** set in the story's strong style (黑体)
VERSE = "verse"  # a line of verse (诗行): `| ` lines; set ragged, its turnovers indented
SUP, SUB = "sup", "sub"  # inline scripts: ^上标^ and ~下标~ (Span.script)


@record
class Span:
    """Part of a paragraph: plain text (`kind` is the paragraph's role), a gap note (`[[gap: …]]`,
    kind GAP) or a strong span (`**…**`, kind STRONG); each kind is set in the story's style for it."""

    text: str
    kind: str = BODY
    script: str = ""  # SUP (上标, ^…^) or SUB (下标, ~…~); "" on the baseline


@record
class StoryParagraph:
    role: str
    spans: tuple[Span, ...]
    line: int  # 1-based line of the source file where the paragraph starts
    continued: bool = False  # the rest of a paragraph cut by a jump (转版): set without indent
    stanza: bool = False  # a verse line that opens a new stanza (节): one grid line of space before it

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@record
class Story:
    """Front matter (headline furniture) and paragraphs of one article file."""

    path: Path
    meta: dict = field(hash=False)
    paragraphs: tuple[StoryParagraph, ...]
    warnings: tuple = ()  # Problems found in the file's text (combining marks: story.marks)

    def get(self, key: str, default=None):
        return self.meta.get(key, default)
