"""What each command computes, without the command line: grading with the
exam-session workflows, the simulation, the class report, the programme."""
