"""The outbox sender's HTTP to the Bot Connector: the SDK's request, sent with aiohttp."""

from __future__ import annotations

from botbuilder.schema import Activity

from bot.connector_http import ConnectorHttp


class Credentials:
    """An app's credentials as the SDK hands them out: a token per call, fresh when forced."""

    def __init__(self) -> None:
        self.microsoft_app_id = "00000000-0000-0000-0000-00000000abcd"
        self.asked: list[bool] = []

    def get_access_token(self, force_refresh: bool = False) -> str:
        self.asked.append(force_refresh)
        return f"token-{len(self.asked)}"


async def test_the_token_is_kept_between_posts(connector):
    fake, url = connector
    credentials = Credentials()
    async with ConnectorHttp(4, 5.0) as http:
        for text in ("one", "two"):
            posted = await http.post(credentials, url, "a:conv-1", Activity(type="message", text=text))
            assert posted.status == 200 and posted.activity_id
    assert credentials.asked == [False]
    assert [sent.text for sent in fake.sent] == ["one", "two"]


async def test_a_refused_token_is_fetched_afresh_once(connector):
    fake, url = connector
    credentials = Credentials()
    fake.fail_next(401)
    async with ConnectorHttp(4, 5.0) as http:
        posted = await http.post(credentials, url, "a:conv-1", Activity(type="message", text="hello"))
    assert posted.status == 200
    assert credentials.asked == [False, True]
    assert [sent.text for sent in fake.sent] == ["hello"]


async def test_teams_answer_is_read_back(connector):
    fake, url = connector
    fake.fail_next(429, retry_after=3, code="Throttled")
    async with ConnectorHttp(4, 5.0) as http:
        posted = await http.post(None, url, "a:conv-1", Activity(type="message", text="hello"))
    assert (posted.status, posted.retry_after, posted.error_code) == (429, "3", "Throttled")
    assert fake.sent == []
