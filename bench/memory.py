"""Memory benchmark: the bot's resident memory as it answers, with a large directory.

Builds 200,000 employees and 10,000 champions in a SQLite file, starts the real bot
(`python app.py serve`, background work on, as in production) in a process of its own, and
sends it who-is-my-champion turns from 32 people at once, reading the process's resident
set size (VmRSS) after start-up and after every 1,000 turns. The baseline, in the same run,
is a process that only imports the app's modules: what the code itself costs.

    .venv/bin/python -m bench.memory
    .venv/bin/python -m bench.memory --employees 20000 --champions 1000 --turns 2000   # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.directory import TENANT, load, prepare
from bench.fanout import ConnectorProcess

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def imports_only_mb() -> float:
    """A process that imports what the bot imports, and nothing else."""
    code = (
        "import app, features.installed, pathlib, sys; sys.stdout.write(pathlib.Path('/proc/self/status').read_text())"
    )
    status = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"the bot exited with {process.returncode}")
            try:
                async with session.get(f"{url}healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the bot did not start")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--champions", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=5_000)
    args = parser.parse_args()

    baseline = imports_only_mb()
    connector = ConnectorProcess(limit=10**9, latency=0.0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            askers = prepare(url, False, connector.url, args.employees, args.champions)
            port = free_port()
            environment = os.environ | {
                "DATABASE_URL": url,
                "MicrosoftAppId": "",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "ALLOWED_TENANTS": TENANT,
                "TEAMS_REQUESTS_PER_SECOND": "1000",
                "LOG_LEVEL": "WARNING",
            }
            process = subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=environment)
            base = f"http://127.0.0.1:{port}/"
            try:
                await wait_until_serving(base, process)
                samples = [(0, rss_mb(process.pid))]
                done, step = 0, 1_000
                started = time.perf_counter()
                while done < args.turns:
                    batch = min(step, args.turns - done)
                    await load("who", f"{base}api/messages", connector.url, askers, 32, batch)
                    done += batch
                    samples.append((done, rss_mb(process.pid)))
                seconds = time.perf_counter() - started
            finally:
                process.terminate()
                process.wait(30)
    finally:
        connector.stop()

    print(f"\n{args.employees:,} employees, {args.champions:,} champions; {args.turns:,} turns in {seconds:.0f} s")
    print(f"  importing the modules only: {baseline:6.1f} MB")
    for turns, megabytes in samples:
        print(f"  after {turns:>6,} turns:           {megabytes:6.1f} MB")
    growth = samples[-1][1] - samples[1][1]
    print(f"  growth from {samples[1][0]:,} to {samples[-1][0]:,} turns: {growth:+.1f} MB")
    print(f"RESULT bot_rss_mb_after_{args.turns}_turns: {samples[-1][1]:.1f}")


if __name__ == "__main__":
    asyncio.run(main())
