"""Leak-traceable copies: each recipient's copy of a draft differs from the others in ways that do not
change its meaning, and a leaked text (even an excerpt, even retyped) names whose copy it was."""
