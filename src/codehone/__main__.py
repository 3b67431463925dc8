from codehone.cli import main

main()
