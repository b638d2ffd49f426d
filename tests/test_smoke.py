from tests.factories import as_user


def test_home_shows_memberships(client, hub_staff):
    as_user(client, hub_staff)
    response = client.get("/")
    assert response.status_code == 200
    assert "倉敷市" in response.content.decode()
