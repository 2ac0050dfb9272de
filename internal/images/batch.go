package images

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Job is one image of a batch.
type Job struct {
	Name string                 // for messages: the caller's path of the image
	Load func() ([]byte, error) // reads the source; called on a worker, so only images in work are in memory
	Done func(*Result) error    // takes the result; called on a worker, concurrently with other Dones
}

// ProcessAll processes jobs on GOMAXPROCS workers: the limit is what bounds memory, since a decoded
// 12-megapixel photo takes 18–48 MB. One bad image does not stop the others: the returned error
// joins every job's error (each naming its image) in job order. Cancelling ctx stops new jobs from
// starting. progress, when not nil, is called with (0, total) first and after every job, one call
// at a time with done increasing.
func (p *Processor) ProcessAll(ctx context.Context, jobs []Job, progress func(done, total int)) error {
	errs := make([]error, len(jobs))
	var mu sync.Mutex
	done := 0
	report := func() {
		if progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		progress(done, len(jobs))
	}
	if progress != nil {
		progress(0, len(jobs))
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, job := range jobs {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			defer report()
			if ctx.Err() != nil {
				return nil
			}
			errs[i] = p.run(job)
			return nil
		})
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

func (p *Processor) run(job Job) error {
	data, err := job.Load()
	if err != nil {
		return fmt.Errorf("%s: %w", job.Name, err)
	}
	r, err := p.Process(job.Name, data)
	if err != nil {
		return err
	}
	if job.Done != nil {
		if err := job.Done(r); err != nil {
			return fmt.Errorf("%s: %w", job.Name, err)
		}
	}
	return nil
}
