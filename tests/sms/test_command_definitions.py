"""Every SMS command is well defined before anyone texts it: each reply it can give is in the
rw, en and fr catalogues, and nothing a sender can get wrong is left without its reply."""

from __future__ import annotations

from support.catalogues import untranslated

from sms.commands import COMMANDS
from sms.interpreter import Command


def replies_of(command: Command) -> list[str]:
    """The msgids `command` answers with: its HELP line, the reply to senders without its
    roles, to a field missing or unreadable, to a rule broken."""
    found = [command.summary, command.forbidden]
    found += [m for f in command.fields for m in (f.missing, f.invalid)]
    found += [rule.reply for rule in command.rules]
    return [message for message in found if message]


def test_every_command_reply_is_in_rw_en_and_fr() -> None:
    missing = {c.name: untranslated(replies_of(c)) for c in COMMANDS}
    assert {name: gaps for name, gaps in missing.items() if gaps} == {}


def test_every_command_says_what_went_wrong() -> None:
    for command in COMMANDS:
        assert command.keywords, command.name
        assert command.forbidden or not command.roles, f"{command.name}: no reply to outsiders"
        for field in command.fields:
            said = field.missing or not field.required or field.kind.raw
            assert said, f"{command.name}: no reply when {field.name} is missing"
        for rule in command.rules:
            assert rule.reply, f"{command.name}: no reply when {rule.name} fails"
