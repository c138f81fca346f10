"""The live plots: curves Qt paints without entering Python, and their colours."""
