from onewindow.cli import main

main()
