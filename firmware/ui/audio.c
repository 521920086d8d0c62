/* audio.c - see audio.h. SDL's queue interface (no callback of ours): SDL's audio
 * thread takes from the queue what the device asks for and plays silence when it is
 * empty, so nothing here ever blocks on the device. */
#include "audio.h"
#include "base/util.h"

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Device buffer, in samples: ~23 ms at 22050 Hz, the delay of a stop. */
#define DEVICE_SAMPLES 512

struct ui_audio {
    SDL_AudioDeviceID dev;
    int rate;
};

static bool rate_ok(int rate)
{
    return rate >= 8000 && rate <= 192000;
}

int ui_audio_open(int rate, ui_audio **ret, char *err, size_t errlen)
{
    if (!rate_ok(rate))
        return -EINVAL;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) < 0) {
        snprintf(err, errlen, "no audio: %s", SDL_GetError());
        return -ENODEV;
    }
    SDL_AudioSpec want = {
        .freq = rate,
        .format = AUDIO_S16SYS,
        .channels = 1,
        .samples = DEVICE_SAMPLES,
    };
    /* no allowed changes: SDL converts our format to the device's */
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
    if (dev == 0) {
        snprintf(err, errlen, "no audio device: %s", SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return -ENODEV;
    }
    SDL_PauseAudioDevice(dev, 0);
    ui_audio *a = xcalloc(1, sizeof *a);
    a->dev = dev;
    a->rate = rate;
    *ret = a;
    return 0;
}

void ui_audio_close(ui_audio *a)
{
    if (!a)
        return;
    SDL_CloseAudioDevice(a->dev);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    free(a);
}

int ui_audio_rate(ui_audio *a)
{
    return a ? a->rate : 0;
}

int ui_audio_queue(ui_audio *a, const int16_t *pcm, size_t samples, int rate)
{
    if (!a)
        return -ENODEV;
    if (!rate_ok(rate))
        return -EINVAL;
    if (samples > (size_t)UI_AUDIO_MAX_SECONDS * (size_t)rate)
        return -E2BIG;
    if (samples == 0)
        return 0;
    size_t bytes = samples * sizeof *pcm;
    int r = 0;
    if (rate == a->rate) {
        if (SDL_QueueAudio(a->dev, pcm, (Uint32)bytes) < 0)
            r = -EIO;
        return r;
    }
    SDL_AudioCVT cvt;
    if (SDL_BuildAudioCVT(&cvt, AUDIO_S16SYS, 1, rate, AUDIO_S16SYS, 1, a->rate) < 0)
        return -EIO;
    cvt.len = (int)bytes;
    cvt.buf = xmalloc(bytes * (size_t)cvt.len_mult);
    memcpy(cvt.buf, pcm, bytes);
    if (SDL_ConvertAudio(&cvt) < 0 || SDL_QueueAudio(a->dev, cvt.buf, (Uint32)cvt.len_cvt) < 0)
        r = -EIO;
    free(cvt.buf);
    return r;
}

void ui_audio_stop(ui_audio *a)
{
    if (a)
        SDL_ClearQueuedAudio(a->dev);
}

unsigned ui_audio_queued_ms(ui_audio *a)
{
    if (!a)
        return 0;
    uint64_t bytes = SDL_GetQueuedAudioSize(a->dev);
    return (unsigned)(bytes / sizeof(int16_t) * 1000 / (uint64_t)a->rate);
}

bool ui_audio_playing(ui_audio *a)
{
    return a && SDL_GetQueuedAudioSize(a->dev) > 0;
}
