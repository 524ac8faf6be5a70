"""Earned-security practice: exercises, the plan, and text helpers (coach, safety screen)."""
