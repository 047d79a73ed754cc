"""`make deploy-test`: the files of deploy/ rendered for this machine and run, then checked."""
