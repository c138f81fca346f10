"""What the tests share: the window opened offscreen, and small ways to drive it."""
