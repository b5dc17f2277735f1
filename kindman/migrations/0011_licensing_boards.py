import json

import kindman.blocks
import kindman.models
import wagtail.fields
from django.db import migrations


# What 0008 gave every row: a row still holding these gets the new notices, written afresh and
# translated; a row an editor changed keeps its board as the first one.
OLD_DEFAULTS = {
    "board_name": "Board of Behavioral Sciences",
    "board_phone": "(916) 574-7830",
    "board_website": "https://www.bbs.ca.gov/",
    "board_address": "1625 North Market Blvd., Suite S-200, Sacramento, CA 95834",
}


def keep_an_edited_board(apps, schema_editor):
    PracticeSettings = apps.get_model("kindman", "PracticeSettings")
    for row in PracticeSettings.objects.all():
        if all(getattr(row, field) == value for field, value in OLD_DEFAULTS.items()):
            continue
        boards = kindman.models.default_licensing_boards()
        boards[0]["value"].update(
            name=row.board_name,
            notice=row.consumer_notice,
            phone=row.board_phone,
            website=row.board_website,
            address=row.board_address,
        )
        row.licensing_boards = json.dumps(boards)
        row.save(update_fields=["licensing_boards"])


class Migration(migrations.Migration):
    dependencies = [
        ("kindman", "0010_editors_translate"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicesettings",
            name="licensing_boards",
            field=wagtail.fields.StreamField(
                [("board", 6)],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "Board", "max_length": 120}),
                    1: (
                        "wagtail.blocks.MultipleChoiceBlock",
                        [],
                        {
                            "choices": kindman.blocks.licence_type_choices,
                            "help_text": "The footer shows this notice while a published profile holds one of these.",
                            "label": "Licences and registrations it regulates",
                        },
                    ),
                    2: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {"help_text": "Followed by the contact details.", "max_length": 600},
                    ),
                    3: ("wagtail.blocks.CharBlock", (), {"max_length": 30}),
                    4: ("wagtail.blocks.URLBlock", (), {}),
                    5: ("wagtail.blocks.CharBlock", (), {"max_length": 200}),
                    6: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("name", 0),
                                ("regulates", 1),
                                ("notice", 2),
                                ("phone", 3),
                                ("website", 4),
                                ("address", 5),
                            ]
                        ],
                        {},
                    ),
                },
                default=kindman.models.default_licensing_boards,
                help_text="The consumer notice of each state board that regulates the practice's therapists. The footer shows a board while a published profile holds a licence it regulates.",
            ),
        ),
        migrations.RunPython(keep_an_edited_board, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="practicesettings",
            name="board_address",
        ),
        migrations.RemoveField(
            model_name="practicesettings",
            name="board_name",
        ),
        migrations.RemoveField(
            model_name="practicesettings",
            name="board_phone",
        ),
        migrations.RemoveField(
            model_name="practicesettings",
            name="board_website",
        ),
        migrations.RemoveField(
            model_name="practicesettings",
            name="consumer_notice",
        ),
    ]
