"""A malformed instrument file fails on load with the file and the field named."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from safebase.core.errors import InstrumentFileError, UnknownInstrumentError
from safebase.core.instrument import (
    all_instruments,
    get_instrument,
    instruments_dir,
    load_instrument_file,
)


def test_all_required_instruments_ship_and_load():
    assert {"ecr-r", "ecr", "ecr-s", "ecr-rs", "rq", "secure-signs"} <= set(all_instruments())


def test_every_instrument_carries_citation_licence_and_kind():
    for inst in all_instruments().values():
        assert len(inst.spec.citation) > 20
        assert inst.spec.licence
        assert inst.spec.instructions
    assert not get_instrument("secure-signs").is_validated
    assert "not a validated measure" in get_instrument("secure-signs").spec.instructions.lower()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _copy_with(tmp_path: Path, old: str, new: str, name: str = "ecr-s") -> Path:
    text = (instruments_dir() / f"{name}.toml").read_text(encoding="utf-8")
    assert old in text, "test set-up: the text to replace must exist"
    return _write(tmp_path, name, text.replace(old, new, 1))


def test_unchanged_copy_loads(tmp_path):
    path = _copy_with(tmp_path, 'short_name = "ECR-S"', 'short_name = "ECR-S"')
    assert len(load_instrument_file(path).items) == 12


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('kind = "validated"', 'kind = "validatd"', "kind"),
        ("number = 3\n", 'number = "three"\n', "items.2.number"),
        ('citation = "Wei', 'citatio = "Wei', "citatio"),
        ("reverse = [8]", "reverse = [9]", "reverse"),
        ("items = [2, 4, 6, 8, 10, 12]", "items = [2, 4, 6, 8, 10, 99]", "scales.anxiety.items"),
        ('response_set = "agree7"', 'response_set = "agree5"', "response_set"),
        ('id = "ecr-s"', 'id = "ecr-short"', "id"),
    ],
)
def test_malformed_file_names_file_and_field(tmp_path, old, new, field):
    path = _copy_with(tmp_path, old, new)
    with pytest.raises(InstrumentFileError) as info:
        load_instrument_file(path)
    message = str(info.value)
    assert message.startswith("ecr-s.toml:")
    assert field in message


def test_invalid_toml_names_file(tmp_path):
    path = _write(tmp_path, "broken", "id = [unclosed")
    with pytest.raises(InstrumentFileError, match=r"^broken\.toml: not valid TOML"):
        load_instrument_file(path)


def test_unknown_instrument_lists_known_ones():
    with pytest.raises(UnknownInstrumentError, match=r"known: .*ecr-r"):
        get_instrument("ecr-x")


def test_shipped_files_are_valid_toml_with_schema_version_1():
    for path in instruments_dir().glob("*.toml"):
        assert tomllib.loads(path.read_text(encoding="utf-8"))["schema_version"] == 1


def test_every_instrument_says_where_its_wording_comes_from(tmp_path):
    for inst in all_instruments().values():
        assert len(inst.spec.provenance) > 40, inst.id
    path = _copy_with(tmp_path, "provenance = ", "provenanse = ")
    with pytest.raises(InstrumentFileError, match="provenance"):
        load_instrument_file(path)


def test_derived_short_form_is_ecr_items_keyed_as_in_the_ecr_on_five_points():
    inst, ecr = get_instrument("safebase-ecr12"), get_instrument("ecr")
    assert inst.spec.kind == "derived"
    assert not inst.is_validated and not inst.is_reflection
    assert inst.kind_note == "safebase's own derived short form, not a published measure."
    assert "Not a published measure" in inst.spec.citation
    assert (inst.response.low, inst.response.high) == (1, 5)
    ecr_reverse = {k for s in ecr.scales for k in s.reverse_keys}
    for s in inst.scales:
        for key in s.item_keys:
            item = inst.item(key)
            source = str(item.original_number)
            assert item.text == ecr.item(source).text
            assert source in ecr.scale(s.id).item_keys
            assert (key in s.reverse_keys) == (source in ecr_reverse)


def _derived_copy(tmp_path: Path, old: str, new: str) -> Path:
    return _copy_with(tmp_path, old, new, name="safebase-ecr12")


def test_derived_kind_and_its_table_go_together(tmp_path):
    path = _derived_copy(tmp_path, 'kind = "derived"', 'kind = "validated"')
    with pytest.raises(InstrumentFileError, match=r"safebase-ecr12\.toml: derivation: required"):
        load_instrument_file(path)
    path = _copy_with(tmp_path, "min_answered_fraction = 0.8\n", "[derivation]\n")
    with pytest.raises(InstrumentFileError, match=r"ecr-s\.toml: field 'derivation\."):
        load_instrument_file(path)


def test_derivation_table_must_match_the_scales(tmp_path):
    avoidance = get_instrument("safebase-ecr12").spec.derivation.validation[1]
    listed = f"source_items = {avoidance.source_items}"
    wrong = f"source_items = {[*avoidance.source_items[:-1], 33]}"
    field = r"derivation\.validation\.avoidance\.source_items"
    with pytest.raises(InstrumentFileError, match=field):
        load_instrument_file(_derived_copy(tmp_path, listed, wrong))
    text = 'scale = "avoidance"\nsource_items'
    with pytest.raises(InstrumentFileError, match=r"derivation\.validation\.scale: unknown scale"):
        load_instrument_file(_derived_copy(tmp_path, text, text.replace("avoidance", "avoid")))
