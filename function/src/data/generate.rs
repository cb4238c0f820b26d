//! The deterministic sample-data generator (`leaderboard-function generate`).
