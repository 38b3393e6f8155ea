"""The request threads serve the oldest request first: a request that has started gets the next free
thread before one that arrived after it, whatever order their turns queued in."""

from __future__ import annotations

import functools

import anyio
import anyio.to_thread

from accord.web import request_threads
from accord.web.request_threads import oldest_first


async def _served_order(arrivals: list[float], *, reorder: bool) -> list[float]:
    limiter = anyio.CapacityLimiter(1)
    if reorder:
        assert oldest_first(limiter)
    served: list[float] = []

    async def turn(arrived: float) -> None:
        request_threads._arrived.set(arrived)  # as ArrivalOrder does when the request reaches the app
        async with limiter:
            served.append(arrived)

    async with anyio.create_task_group() as tasks:
        await limiter.acquire()  # the thread is busy while the turns queue
        for arrived in arrivals:
            tasks.start_soon(turn, arrived)
            await anyio.wait_all_tasks_blocked()  # queued, in this order
        limiter.release()
    return served


def test_a_free_thread_goes_to_the_request_that_arrived_first() -> None:
    # turns queue in the order 3, 1, 2 (a newer request's first turn before an older one's next turn)
    assert anyio.run(functools.partial(_served_order, [3.0, 1.0, 2.0], reorder=True)) == [1.0, 2.0, 3.0]


def test_anyio_alone_serves_the_turn_queued_first() -> None:
    assert anyio.run(functools.partial(_served_order, [3.0, 1.0, 2.0], reorder=False)) == [3.0, 1.0, 2.0]


def test_the_app_thread_pool_serves_oldest_first() -> None:
    async def main() -> str:
        limiter = anyio.to_thread.current_default_thread_limiter()
        oldest_first(limiter)
        oldest_first(limiter)  # a second app on the same loop changes nothing further
        return type(limiter).__name__

    assert anyio.run(main) == "OldestFirst"
