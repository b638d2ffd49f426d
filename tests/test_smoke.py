def test_home_shows_memberships(client, hub_staff):
    client.force_login(hub_staff)
    response = client.get("/")
    assert response.status_code == 200
    assert "倉敷市" in response.content.decode()
