"""Learn: the tiered curriculum, progress, quizzes, graded exercises, certificates and assignments."""
