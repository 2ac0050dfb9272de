package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"bantin/internal/build"
)

func main() {
	f, _ := os.Create(os.Args[3])
	pprof.StartCPUProfile(f)
	st := time.Now()
	res, err := build.Build(build.Options{Source: os.Args[1], Dest: os.Args[2]})
	pprof.StopCPUProfile()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println(res.Summary(), time.Since(st))
	if len(os.Args) > 4 {
		h, _ := os.Create(os.Args[4])
		pprof.WriteHeapProfile(h)
	}
}
