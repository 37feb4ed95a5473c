"""Business rules of learning, kept out of views: progress, quizzes, exercises, certificates."""
