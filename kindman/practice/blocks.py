"""Blocks of the practice pages: the notices' body (with a callout for what a reader must not
miss, such as "template to be reviewed") and the FAQ's groups of questions."""

from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.rich_text import expand_db_html

from kindman.blocks import RICH_TEXT_FEATURES, HeadingBlock


class CalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = "Callout"
        template = "kindman/blocks/callout_block.html"
        preview_value = {
            "heading": "A template to be reviewed",
            "text": "<p>Have this text reviewed before the practice relies on it.</p>",
        }


class NoticeStreamBlock(blocks.StreamBlock):
    """The body of a notice or statement: headings, paragraphs and callouts, nothing more, so it
    prints cleanly."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    callout = CalloutBlock()


class QuestionValue(blocks.StructValue):
    def answer_text(self) -> str:
        """The answer as plain text, for the FAQPage structured data: links inside it would be
        relative, and search engines read the question and answer, not the markup."""
        html = expand_db_html(self.get("answer").source)
        return " ".join(strip_tags(html.replace("<", " <")).split())


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "Question"
        value_class = QuestionValue


class QuestionGroupBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, help_text="e.g. “Fees and insurance”.")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Group of questions"
        template = "kindman/blocks/question_group_block.html"
        preview_value = {
            "heading": "Getting started",
            "questions": [
                {
                    "question": "Do I need a referral?",
                    "answer": "<p>No. Book a free call and we'll take it from there.</p>",
                }
            ],
        }


class FAQStreamBlock(blocks.StreamBlock):
    group = QuestionGroupBlock()
