import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_after_one_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.strip() == b"ok"
