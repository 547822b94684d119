"""The index keeps up: the content import, the admin (synonyms, other names, routine steps), rebuilding."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from poses.models import Pose
from routines.models import Routine
from searchindex import index
from searchindex.models import Entry, Pair, Synonym
from searchindex.query import search
from tests.factories import PoseFactory, RoutineFactory, RoutineStepFactory

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


def found(query, kind="pose", model=Pose, field="name"):
    scopes = {"pose": Pose.objects.published(), "routine": Routine.objects.published()}
    ids = search(query, scopes).ids(kind)
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", field))
    return [names[pk] for pk in ids]


def document(poses, routines=()):
    demo = json.loads(DEMO.read_text())
    return {"format": demo["format"], "version": demo["version"], "poses": poses, "routines": list(routines)}


def pose_record(slug, name, sanskrit="", other_names=()):
    record = {"slug": slug, "name": name, "sanskrit_name": sanskrit, "status": "published", "steps": ["Breathe."]}
    if other_names:
        record["other_names"] = list(other_names)
    return record


def test_the_content_import_indexes_what_it_writes_and_what_it_changes(tmp_path):
    path = tmp_path / "content.json"
    flow = {
        "slug": "flow",
        "title": "Evening Flow",
        "status": "published",
        "sections": [{"steps": [{"pose": "corpse", "hold": {"seconds": 60}}]}],
    }
    path.write_text(json.dumps(document([pose_record("corpse", "Corpse Pose", "Śavāsana", ["Final Rest"])], [flow])))
    call_command("import_content", str(path), stdout=io.StringIO())
    assert found("shavasana") == ["Corpse Pose"] and found("final rest") == ["Corpse Pose"]
    assert found("savasana", "routine", Routine, "title") == ["Evening Flow"]

    path.write_text(json.dumps(document([pose_record("corpse", "Resting Pose", "Śavāsana")], [flow])))
    call_command("import_content", str(path), stdout=io.StringIO())
    assert found("final rest") == [] and found("resting") == ["Resting Pose"]
    assert found("resting", "routine", Routine, "title") == ["Evening Flow"]


def test_routine_steps_added_after_the_routine_make_it_findable_by_their_poses():
    routine = RoutineFactory(title="Morning")
    RoutineStepFactory(routine=routine, pose=PoseFactory(name="Cobra"))
    assert found("cobra", "routine", Routine, "title") == ["Morning"]


def test_a_renamed_pose_changes_what_finds_the_routines_using_it():
    cobra = PoseFactory(name="Cobra")
    RoutineStepFactory(routine=RoutineFactory(title="Morning"), pose=cobra)
    cobra.name = "Sphinx"
    cobra.save()
    assert found("cobra", "routine", Routine, "title") == []
    assert found("sphinx", "routine", Routine, "title") == ["Morning"]


def test_a_synonym_of_several_words_points_at_names_holding_those_words_in_order():
    PoseFactory(name="Upward Bow")
    PoseFactory(name="Bow")
    PoseFactory(name="Bow Upward")
    Synonym.objects.create(words="full wheel", means="upward bow")
    assert found("full wheel") == ["Upward Bow"]


def test_rebuilding_gives_the_same_index(client):
    PoseFactory(name="Cobra", sanskrit_name="Bhujaṅgāsana")
    RoutineStepFactory(routine=RoutineFactory(title="Morning"), pose=PoseFactory(name="Tree"))
    before = sorted(Entry.objects.values_list("kind", "object_id", "field", "name", "position", "word"))
    Entry.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert sorted(Entry.objects.values_list("kind", "object_id", "field", "name", "position", "word")) == before
    index.build_if_empty()  # not empty: nothing happens
    assert Entry.objects.count() == len(before)


def test_synonyms_admin_explains_and_refuses_empty_or_useless_synonyms(staff_client, django_user_model):
    user = django_user_model.objects.get(username="editor")
    user.is_superuser = True
    user.save()
    page = staff_client.get("/admin/searchindex/synonym/add/").content.decode()
    assert "A word or a few words visitors search for" in page and "Words of the names it should find" in page
    response = staff_client.post("/admin/searchindex/synonym/add/", {"words": "Wheels", "means": "wheel"})
    assert "This is the same as what people type" in response.content.decode()
    response = staff_client.post("/admin/searchindex/synonym/add/", {"words": "wheel", "means": "backbend"})
    assert response.status_code == 302 and Synonym.objects.get().means == "backbend"
    PoseFactory(name="Backbend")
    assert found("wheel") == ["Backbend"]


def pairs(pose) -> set[tuple[str, str, int]]:
    return set(Pair.objects.filter(kind="pose", object_id=pose.pk).values_list("first", "second", "tier"))


def test_every_two_words_of_a_name_are_indexed_as_a_pair_in_both_orders_and_text_is_not():
    pose = PoseFactory(name="Seated Twist", sanskrit_name="Bharadvajasana", summary="A gentle twist for the spine.")
    assert pairs(pose) == {("seated", "twist", 0), ("twist", "seated", 2)}
    pose.name = "Seated Spinal Twist"
    pose.save()
    # A name that starts with two words, and the other orders and places.
    assert ("seated", "spinal", 1) in pairs(pose) and ("seated", "twist", 2) in pairs(pose)
    assert ("spinal", "twist", 2) in pairs(pose) and ("twist", "seated", 2) in pairs(pose)
    assert len(pairs(pose)) == 6
    pose.delete()
    assert not Pair.objects.exists()


def test_other_names_give_pairs_of_their_own_tier_and_a_rebuild_gives_the_same_pairs(tmp_path):
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document([pose_record("corpse", "Corpse Pose", "Śavāsana", ["Final Rest"])])))
    call_command("import_content", str(path), stdout=io.StringIO())
    pose = Pose.objects.get(slug="corpse")
    assert pairs(pose) == {("corpse", "pose", 0), ("pose", "corpse", 2), ("final", "rest", 3), ("rest", "final", 3)}
    Pair.objects.all().delete()
    Entry.objects.all().delete()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert pairs(pose) == {("corpse", "pose", 0), ("pose", "corpse", 2), ("final", "rest", 3), ("rest", "final", 3)}


def vacuums(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_after_things_are_written_in_bulk_postgresql_vacuums_the_index_so_counts_read_it_alone(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's")
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document([pose_record("seated-twist", "Seated Twist", "Bharadvājāsana", [])])))
    before = {table: vacuums(table) for table in ("searchindex_entry", "searchindex_pair")}
    call_command("import_content", str(path), stdout=io.StringIO())
    assert all(vacuums(table) > count for table, count in before.items())
    # Within a transaction (an import inside a larger one) only the statistics are gathered.
    with transaction.atomic():
        index.gather_statistics()
