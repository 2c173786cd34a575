"""Declared sides (parties) from a CSV file or a mapping, aligned with the voters."""

from pathlib import Path

import numpy as np
import pytest

from tracktwo.analysis.parties import (
    PartyInputError,
    labels_for,
    parse_parties,
    parties_from_mapping,
    read_parties,
)

VOTERS = (1, 2, 3, 4, 5, 6, 7, "007", "m-9")


def test_it_reads_parties_and_normalises_ids_like_the_votes() -> None:
    text = "participant,party\n1,North\n 2 , North\n3,North\n4,South\n5,South\n007,South\nm-9,\n"
    parties = parse_parties(text, VOTERS, source="p.csv")
    assert parties.names == ("North", "South")
    assert parties.member.tolist() == [0, 0, 0, 1, 1, -1, -1, 1, -1]
    assert parties.sizes.tolist() == [3, 3]
    assert parties.warnings == () and parties.unknown == ()


def test_it_warns_about_ids_that_cast_no_vote_and_ignores_them(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text("participant,party\n1,A\n2,A\n3,A\n99,A\n4,B\n5,B\n6,B\n07,B\n")
    parties = read_parties(path, VOTERS)
    assert parties.unknown == (99, "07")
    assert parties.warnings == (
        f"{path}:5: participant 99 cast no vote; ignored",
        f"{path}:9: participant '07' cast no vote; ignored",
    )
    assert parties.sizes.tolist() == [3, 3]


def test_it_caps_the_list_of_warnings() -> None:
    rows = "".join(f"{1000 + i},A\n" for i in range(30))
    parties = parse_parties(
        "participant,party\n1,A\n2,A\n3,A\n4,B\n5,B\n6,B\n" + rows, VOTERS, source="p.csv"
    )
    assert len(parties.unknown) == 30
    assert len(parties.warnings) == 21
    assert parties.warnings[-1] == "p.csv: 10 more participants cast no vote; ignored"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "p.csv: empty file; expected the header 'participant,party'"),
        ("id,side\n1,A\n", "p.csv:1: header is 'id,side'; expected 'participant,party'"),
        (
            "participant,party\n1,A\n2,A,extra\n",
            "p.csv:3: expected 2 fields (participant,party), got 3",
        ),
        ("participant,party\n1,A\n,B\n", "p.csv:3: participant: empty id"),
        (
            "participant,party\n1,A\n2,B\n1,B\n",
            "p.csv:4: participant 1 is given party 'B', but 'A' at p.csv:2",
        ),
        ('participant,party\n1,"A\n', "p.csv:2: unreadable CSV"),
        (
            "participant,party\n1,A\n2,A\n3,A\n",
            "p.csv: cross-side analysis needs at least 2 parties with participants who voted; found only 'A'",
        ),
        ("participant,party\n1,A\n2,A\n3,A\n40,B\n", "found only 'A'"),
        ("participant,party\n", "found none"),
        (
            "participant,party\n1,A\n2,A\n3,A\n4,B\n5,B\n",
            "p.csv: each party needs at least 3 participants who voted, or its tallies would reveal individual votes; too small: 'B' (2)",
        ),
    ],
)
def test_it_names_what_is_wrong_with_a_party_file(text: str, message: str) -> None:
    with pytest.raises(PartyInputError) as caught:
        parse_parties(text, VOTERS, source="p.csv")
    assert message in str(caught.value)
    assert str(caught.value).startswith("p.csv")


def test_it_allows_a_repeated_row_with_the_same_party() -> None:
    parties = parse_parties(
        "participant,party\n1,A\n1,A\n2,A\n3,A\n4,B\n5,B\n6,B\n", VOTERS, source="p.csv"
    )
    assert parties.sizes.tolist() == [3, 3]


def test_it_takes_a_python_mapping_and_a_smaller_minimum() -> None:
    parties = parties_from_mapping(
        {"1": "A", 2: "B", 3.0: None, "ghost": "A"}, VOTERS, min_party_size=1
    )
    assert parties.names == ("A", "B")
    assert parties.member.tolist()[:3] == [0, 1, -1]
    assert parties.unknown == ("ghost",)
    assert parties.warnings == ("party mapping: participant 'ghost' cast no vote; ignored",)


def test_it_reports_a_missing_party_file(tmp_path: Path) -> None:
    with pytest.raises(PartyInputError, match=r"nope\.csv: no such file"):
        read_parties(tmp_path / "nope.csv", VOTERS)


def test_it_aligns_opinion_groups_with_the_voters() -> None:
    codes, labels = labels_for({"1": 1, 2: 0, 5: 1, 42: 3, "m-9": None}, VOTERS)
    assert labels == (0, 1)
    assert codes.tolist() == [1, 0, -1, -1, 1, -1, -1, -1, -1]
    assert codes.dtype == np.int64
