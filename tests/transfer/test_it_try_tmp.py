import pytest

pytestmark = pytest.mark.django_db


def test_it_try(scenario):
    from tracktwo.safety.datakeys import box_for
    from tracktwo.transfer import content

    box = box_for(scenario.initiative.pk)
    for sess in (None, scenario.session):
        c = content.build_content(
            scenario.dialogue, sess, content.default_narrative(scenario.dialogue, box), box
        )
        f = c.findings
        print(
            [x.text[:20] for x in f.common_ground],
            [x.text[:20] for x in f.shared_rejection],
            [x.text[:20] for x in f.divides],
        )
        print(
            f.common_ground[0].sides,
            f.groups,
            f.small_groups,
            f.map_points.shape,
            f.notes,
            f.n_votes,
        )
        print(c.participants)
