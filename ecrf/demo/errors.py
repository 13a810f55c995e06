"""Refusals of the demo generator: its codes (the category is the services' InvalidInput)."""
from __future__ import annotations

from ecrf.errors import Message, register

register("demo", {
    "demo-subjects-negative": Message(
        "The number of demo subjects cannot be negative ({count}).",
        "Give a whole number of 1 or more with --subjects.",
        "演示受试者人数不能为负数（{count}）。",
        "请用 --subjects 给出 1 或更大的整数。"),
    "demo-today-in-future": Message(
        "The demo's today ({today}) is after the computer's date ({now}).",
        "Give a date that has come (--today YYYY-MM-DD), or leave --today out.",
        "演示的“今天”（{today}）晚于计算机日期（{now}）。",
        "请给出不晚于今天的日期（--today YYYY-MM-DD），或省略 --today。"),
    "demo-scenario-has-problems": Message(
        "The demo scenario {path} has {count} problem(s), the first: {first}.",
        "Run `ecrf check-forms` on the study folder and fix them.",
        "演示场景文件 {path} 有 {count} 个问题，第一个：{first}。",
        "请对研究文件夹运行 `ecrf check-forms` 并修正。"),
})
