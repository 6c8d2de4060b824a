"""Intake of testimonies, videos and posts: preservation, near-duplicate clusters, extraction."""
