"""The display board hears of a call over its WebSocket, only after the call's transaction commits."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction

from onewindow.asgi import application
from onewindow.hall import acts, services
from onewindow.hall.tests.factories import CategoryFactory, HallFactory, UserFactory, WindowFactory


def _setup():
    hall = HallFactory()
    category = CategoryFactory(hall=hall, prefix="A", name="社保业务")
    window = WindowFactory(hall=hall, number="5", categories=[category])
    clerk = UserFactory()
    services.issue_ticket(category=category)
    services.issue_ticket(category=category)
    return hall, window, clerk


def _run(scenario):
    """Run the scenario, then close the database connection its worker thread opened (else PostgreSQL cannot drop
    the test database at the end of the run)."""

    async def and_close():
        try:
            await scenario
        finally:
            await sync_to_async(connections.close_all)()

    asyncio.run(and_close())


async def _connect(path):
    communicator = WebsocketCommunicator(application, path, headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected, f"{path} refused the connection"
    return communicator


async def _next_of_kind(communicator, kind):
    while True:
        message = await communicator.receive_json_from(timeout=3)
        if message["kind"] == kind:
            return message


@pytest.mark.django_db(transaction=True)
def test_board_receives_a_call_with_its_spoken_sentence():
    async def scenario():
        hall, window, clerk = await sync_to_async(_setup)()
        board = await _connect(f"/ws/hall/{hall.code}/board/")
        screen = await _connect(f"/ws/hall/window/{window.pk}/")
        snapshot = await board.receive_json_from(timeout=3)
        assert snapshot["kind"] == "snapshot"
        assert snapshot["waiting"] == [{"prefix": "A", "name": "社保业务", "waiting": 2}]
        assert (await screen.receive_json_from(timeout=3))["ticket"] == ""

        ticket = await sync_to_async(services.call_next)(window=window, by=clerk)
        call = await _next_of_kind(board, "call")
        assert (call["ticket"], call["window"]) == (ticket.number, "5")
        assert call["speech"] == "请 A001 号到 5 号窗口办理"
        assert call["waiting_change"] == [{"prefix": "A", "name": "社保业务", "by": -1}]
        assert (await _next_of_kind(screen, "call"))["ticket"] == "A001"
        await board.disconnect()
        await screen.disconnect()

    _run(scenario())


@pytest.mark.django_db(transaction=True)
def test_a_call_rolled_back_is_never_announced():
    async def scenario():
        hall, window, clerk = await sync_to_async(_setup)()
        board = await _connect(f"/ws/hall/{hall.code}/board/")
        await board.receive_json_from(timeout=3)

        def call_then_fail():
            # The act composed in a caller's transaction that then fails (the durable service cannot nest).
            with transaction.atomic():
                assert acts.call_next(window=window, by=clerk) is not None
                raise RuntimeError("the clerk's session broke")

        with pytest.raises(RuntimeError):
            await sync_to_async(call_then_fail)()
        assert await board.receive_nothing(timeout=0.5), "a rolled-back call reached the board"
        await board.disconnect()

    _run(scenario())


@pytest.mark.django_db(transaction=True)
def test_an_unknown_hall_board_is_refused():
    async def scenario():
        communicator = WebsocketCommunicator(application, "/ws/hall/NOPE/board/",
                                             headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()

    _run(scenario())


@pytest.mark.django_db(transaction=True)
def test_the_board_gets_each_change_of_the_waiting_counts_and_a_late_board_the_whole_counts():
    """An issue or a call sends the board its change (+1, -1), never the counts read again; a board that connects
    later (or again, after missing messages) starts from the counts as they are."""

    async def scenario():
        hall, window, clerk = await sync_to_async(_setup)()
        board = await _connect(f"/ws/hall/{hall.code}/board/")
        assert (await board.receive_json_from(timeout=3))["waiting"] == [
            {"prefix": "A", "name": "社保业务", "waiting": 2}]
        category = await sync_to_async(lambda: window.categories.get())()

        await sync_to_async(services.issue_ticket)(category=category)
        issued = await _next_of_kind(board, "counts")
        assert issued["waiting_change"] == [{"prefix": "A", "name": "社保业务", "by": 1}]
        await sync_to_async(services.call_next)(window=window, by=clerk)
        call = await _next_of_kind(board, "call")
        assert call["waiting_change"] == [{"prefix": "A", "name": "社保业务", "by": -1}]
        await sync_to_async(services.finish)(window=window, by=clerk)
        finished = await _next_of_kind(board, "finish")
        assert "waiting_change" not in finished, "finishing changes no waiting count"

        late = await _connect(f"/ws/hall/{hall.code}/board/")
        snapshot = await late.receive_json_from(timeout=3)
        assert snapshot["kind"] == "snapshot"
        assert snapshot["waiting"] == [{"prefix": "A", "name": "社保业务", "waiting": 2}], "2 + 1 issued - 1 called"
        assert snapshot["recent"][0]["ticket"] == "A001"
        await board.disconnect()
        await late.disconnect()

    _run(scenario())
