"""The see-inside views: decision map, confusion matrix, explanations, lessons."""
