"""Bad Pol.is exports: every problem is named by file, line and field; nothing is lost silently."""

from __future__ import annotations

import re

import pytest

from tracktwo.analysis.polis_io import read_polis, read_polis_groups
from tracktwo.analysis.votes import VoteInputError

VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"
WIDE_HEADER = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
COMMENTS_HEADER = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
)


def fails(path, pattern):
    with pytest.raises(VoteInputError) as caught:
        read_polis(path)
    message = str(caught.value)
    assert re.search(pattern, message), message
    assert "\n" not in message
    return message


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_it_names_a_missing_path(tmp_path):
    fails(tmp_path / "nowhere", r"nowhere: no such file or folder")


def test_it_names_a_folder_without_votes(tmp_path):
    write(tmp_path, "comments.csv", COMMENTS_HEADER)
    fails(tmp_path, r"no Pol.is votes file")


def test_it_refuses_a_folder_holding_two_exports(tmp_path):
    for prefix in ("2025-01-01-0000-aaaa-", "2025-02-02-0000-bbbb-"):
        write(tmp_path, f"{prefix}votes.csv", VOTES_HEADER + "1700000000,x,1,1,1\n")
    fails(tmp_path, r"several exports")


def test_it_names_an_empty_file(tmp_path):
    fails(write(tmp_path, "votes.csv", ""), r"votes.csv: empty file")


def test_it_names_a_file_with_a_header_and_no_votes(tmp_path):
    fails(write(tmp_path, "votes.csv", VOTES_HEADER), r"votes.csv: no votes")


def test_it_names_a_missing_column(tmp_path):
    path = write(tmp_path, "votes.csv", "timestamp,datetime,comment-id,vote\n1,x,1,1\n")
    fails(path, r"votes.csv:1: missing column 'voter-id'")


def test_it_names_the_line_of_an_unknown_vote(tmp_path):
    body = "1700000000,x,1,1,1\n1700000001,x,1,2,2\n"
    fails(
        write(tmp_path, "votes.csv", VOTES_HEADER + body),
        r"votes.csv:3: vote: '2' is not 1, 0 or -1",
    )


def test_it_names_a_nan_vote(tmp_path):
    body = "1700000000,x,1,1,1\n1700000001,x,1,2,nan\n"
    fails(write(tmp_path, "votes.csv", VOTES_HEADER + body), r"votes.csv:3: vote: 'nan'")


def test_it_names_a_nan_timestamp(tmp_path):
    body = "1700000000,x,1,1,1\nNaN,x,1,2,1\n"
    fails(write(tmp_path, "votes.csv", VOTES_HEADER + body), r"votes.csv:3: timestamp: 'NaN'")


def test_it_names_a_missing_field(tmp_path):
    body = "1700000000,x,1,1,1\n1700000001,x,,2,1\n"
    fails(write(tmp_path, "votes.csv", VOTES_HEADER + body), r"votes.csv:3: comment-id: missing")


def test_it_names_a_row_with_too_many_fields(tmp_path):
    body = "1700000000,x,1,1,1\n1700000001,x,1,2,1,9\n"
    fails(write(tmp_path, "votes.csv", VOTES_HEADER + body), r"votes.csv:3: has 6 fields")


def test_it_names_a_row_with_too_few_fields(tmp_path):
    body = "1700000000,x,1,1,1\n1700000001,x,1,2\n"
    fails(write(tmp_path, "votes.csv", VOTES_HEADER + body), r"votes.csv:3: has 4 fields")


def test_it_counts_lines_as_the_file_has_them(tmp_path):
    body = "1700000000,x,1,1,1\n\n\n1700000001,x,1,2,yes\n"
    fails(write(tmp_path, "votes.csv", VOTES_HEADER + body), r"votes.csv:5: vote: 'yes'")


def test_it_names_a_comment_with_a_bad_moderation_value(tmp_path):
    write(tmp_path, "votes.csv", VOTES_HEADER + "1700000000,x,1,1,1\n")
    comments = COMMENTS_HEADER + '1,x,1,0,1,0,1,"two\nlines"\n1,x,2,0,0,0,maybe,text\n'
    write(tmp_path, "comments.csv", comments)
    fails(tmp_path, r"comments.csv:4: moderated: 'maybe' is not -1, 0 or 1")


def test_it_names_a_comment_id_given_twice(tmp_path):
    write(tmp_path, "votes.csv", VOTES_HEADER + "1700000000,x,1,1,1\n")
    write(tmp_path, "comments.csv", COMMENTS_HEADER + "1,x,1,0,1,0,1,a\n1,x,1,0,0,0,1,b\n")
    fails(tmp_path, r"comments.csv:3: comment-id: 1 already on line 2")


def test_it_names_a_comments_file_without_text(tmp_path):
    write(tmp_path, "votes.csv", VOTES_HEADER + "1700000000,x,1,1,1\n")
    write(tmp_path, "comments.csv", "comment-id,moderated\n1,1\n")
    fails(tmp_path, r"comments.csv:1: missing column 'comment-body'")


def test_it_names_a_bad_cell_of_participants_votes(tmp_path):
    body = "0,0,2,2,1,1,1,-1\n1,,2,2,1,0,1,x\n"
    fails(
        write(tmp_path, "participants-votes.csv", WIDE_HEADER + body),
        r"participants-votes.csv:3: comment 1: vote 'x' is not 1, 0, -1 or blank",
    )


def test_it_notices_a_short_row_of_participants_votes(tmp_path):
    body = "0,0,2,2,1,1,1,-1\n1,,2,2,1,1,1\n"
    fails(
        write(tmp_path, "participants-votes.csv", WIDE_HEADER + body),
        r"participants-votes.csv:3: n-votes: says 2 but the row has 1 votes",
    )


def test_it_names_a_participant_listed_twice(tmp_path):
    body = "0,0,2,1,1,0,1,\n0,0,2,1,1,0,,1\n"
    fails(
        write(tmp_path, "participants-votes.csv", WIDE_HEADER + body),
        r"participants-votes.csv:3: participant: 0 already on line 2",
    )


def test_it_names_an_unknown_column_of_participants_votes(tmp_path):
    path = write(tmp_path, "participants-votes.csv", "participant,n-votes,mood,0\n0,1,x,1\n")
    fails(path, r"participants-votes.csv:1: column 'mood' is neither a comment id")


def test_it_names_a_bad_group_id(tmp_path):
    body = "0,0,2,2,1,1,1,-1\n1,green,2,1,1,0,1,\n"
    write(tmp_path, "participants-votes.csv", WIDE_HEADER + body)
    with pytest.raises(VoteInputError, match=r"participants-votes.csv:3: group-id: 'green'"):
        read_polis_groups(tmp_path)


def test_it_names_a_json_record_with_an_unknown_vote(tmp_path):
    text = (
        '[\n  {"pid": 0, "tid": 1, "vote": 1, "modified": 1700000000000},\n'
        '  {"pid": 1, "tid": 1, "vote": "up", "modified": 1700000000001}\n]\n'
    )
    fails(write(tmp_path, "votes.json", text), r"votes.json:3: vote: 'up' is not 1, 0 or -1")


def test_it_names_a_json_record_without_a_participant(tmp_path):
    text = '[{"tid": 1, "vote": 1}]'
    fails(write(tmp_path, "votes.json", text), r"votes.json:1: pid: missing")


def test_it_names_broken_json(tmp_path):
    text = '[\n{"pid": 0, "tid": 1, "vote": 1},\n{"pid": 1, "tid": 1, "vote": }\n]'
    fails(write(tmp_path, "votes.json", text), r"votes.json:3: not valid JSON")


def test_it_names_json_that_is_not_a_list_of_records(tmp_path):
    fails(write(tmp_path, "votes.json", '{"votes": []}'), r"votes.json:1: expected a JSON array")


def test_it_refuses_a_comments_file_given_as_votes(tmp_path):
    path = write(tmp_path, "comments.csv", COMMENTS_HEADER + "1,x,1,0,1,0,1,a\n")
    fails(path, r"comments.csv: a comments file holds no votes")
