import BosunCLI

await Bosun.main()
